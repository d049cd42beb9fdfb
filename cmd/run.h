/*
 * run.h: the batch loop: every input, every message, analysis, output.
 */
#ifndef CMD_RUN_H
#define CMD_RUN_H

#include "options.h"

/* Analyse every input named in o; returns the exit status. */
int run(const struct options *o);

#endif
