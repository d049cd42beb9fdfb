/*
 * received_test.c: table-driven tests of the Received parser. Each row is
 * a raw value and every field of struct received that matters; a field
 * left NULL in the row must come back empty, so unexpected fields are
 * caught as well as missing ones (rspamd's two-way comparison).
 */
#include "testdata/tools/unit.h"

#include "parse/message.h"
#include "parse/received.h"

struct row {
	const char *raw;
	const char *ip, *rdns, *helo, *ident, *by, *with, *id, *for_, *envfrom,
	    *auth, *tls_version, *tls_cipher, *mta;
	unsigned flags;
	bool parsed, handover, has_date;
	int64_t time;        /* checked when has_date */
	const char *finding; /* a finding that must be present, or NULL */
};

#define SMTP RCV_F_SMTP
#define ESMTP (RCV_F_SMTP | RCV_F_ESMTP)
#define TLS RCV_F_TLS
#define AUTH RCV_F_AUTH

static const struct row rows[] = {
    /* Postfix, IPv4, no TLS */
    {"from asterix.laurier.org (lns-p19-8-82-65-66-244.adsl.proxad.net "
     "[82.65.66.244]) by postfix3-2.free.fr (Postfix) with ESMTP id "
     "7BACDC372 for <somelist@example.net>; Fri, 14 Nov 2003 09:05:49 "
     "+0100 (CET)",
     "82.65.66.244",
     "lns-p19-8-82-65-66-244.adsl.proxad.net",
     "asterix.laurier.org",
     NULL,
     "postfix3-2.free.fr",
     "ESMTP",
     "7BACDC372",
     "somelist@example.net",
     NULL,
     NULL,
     NULL,
     NULL,
     "postfix",
     ESMTP,
     true,
     true,
     true,
     1068797149,
     NULL},
    /* Postfix, IPv6 literal, TLS, envelope-from after the date */
    {"from rc3.isc.org (rc3.isc.org [IPv6:2001:4f8:3:bb::25])\r\n\t"
     "(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits))\r\n"
     "\t(No client certificate requested) by sf1.isc.org (Postfix) with "
     "ESMTPS id C986F284EE for <jm@jmason.org>; Sat, 16 Oct 2004 21:30:02 "
     "+0000 (UTC) (envelope-from bind-users-bounce@isc.org)",
     "2001:4f8:3:bb::25",
     "rc3.isc.org",
     "rc3.isc.org",
     NULL,
     "sf1.isc.org",
     "ESMTPS",
     "C986F284EE",
     "jm@jmason.org",
     "bind-users-bounce@isc.org",
     NULL,
     "TLSv1.3",
     "TLS_AES_256_GCM_SHA384",
     "postfix",
     ESMTP | TLS | RCV_F_IPV6,
     true,
     true,
     true,
     1097962202,
     NULL},
    /* Postfix submission with an authenticated sender, rdns unknown */
    {"from laptop (unknown [198.51.100.20]) (Authenticated sender: "
     "alice@example.org) by smtp.example.org (Postfix) with ESMTPSA id "
     "4F1A2B; Mon, 7 Jun 2021 10:00:00 +0200",
     "198.51.100.20",
     NULL,
     "laptop",
     NULL,
     "smtp.example.org",
     "ESMTPSA",
     "4F1A2B",
     NULL,
     NULL,
     "alice@example.org",
     NULL,
     NULL,
     "postfix",
     ESMTP | TLS | AUTH,
     true,
     true,
     true,
     1623052800,
     NULL},
    /* punctuation at the ends of words: strip_punct and strip */
    {"from helo.example.org (rdns.example.org [192.0.2.7],;) by "
     "mx.example.net,, with ESMTP id <<ABC12>>, for "
     "<\"bob@example.net\">,; Mon, 7 Jun 2021 10:00:00 +0200",
     "192.0.2.7",
     "rdns.example.org",
     "helo.example.org",
     NULL,
     "mx.example.net",
     "ESMTP",
     "ABC12",
     "bob@example.net",
     NULL,
     NULL,
     NULL,
     NULL,
     "unknown",
     ESMTP,
     true,
     true,
     true,
     1623052800,
     NULL},
    /* Postfix local submission: not a handover */
    {"by host.example.org (Postfix, from userid 1000) id 1234ABCD; Tue, 8 "
     "Jun 2021 10:00:00 +0200 (CEST)",
     NULL,
     NULL,
     NULL,
     NULL,
     "host.example.org",
     NULL,
     "1234ABCD",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "postfix",
     0,
     true,
     false,
     true,
     1623139200,
     NULL},
    /* Exim 4 with rdns, port, helo= and TLS triple */
    {"from gate.jakob.de ([217.145.101.130]:60178 helo=gate2.jakob.de) by "
     "vps.serverpool.info (envelope-from <support@verleihshop.de>) with "
     "esmtps (TLS1.2:ECDHE-RSA-AES128-GCM-SHA256:128) (Exim 4.92) id "
     "1H3KFP-0005pI-08 for dvd@axelcity.de; Sat, 06 Jan 2007 23:42:55 +0100",
     "217.145.101.130",
     "gate.jakob.de",
     "gate2.jakob.de",
     NULL,
     "vps.serverpool.info",
     "esmtps",
     "1H3KFP-0005pI-08",
     "dvd@axelcity.de",
     "support@verleihshop.de",
     NULL,
     "TLS1.2",
     "ECDHE-RSA-AES128-GCM-SHA256",
     "exim",
     ESMTP | TLS,
     true,
     true,
     true,
     1168123375,
     NULL},
    /* Exim 4.9x: (TLS1.3) tls CIPHER; helo omitted when equal to rdns */
    {"from mail-wr1-f54.google.com ([209.85.221.54]:45678) by mx.example.net "
     "with esmtps (TLS1.3) tls TLS_AES_256_GCM_SHA384 (Exim 4.94.2) "
     "(envelope-from <a@gmail.com>) id 1lqXyZ-0001Ab-Cd for u@example.net; "
     "Tue, 08 Jun 2021 10:00:00 +0100",
     "209.85.221.54",
     "mail-wr1-f54.google.com",
     "mail-wr1-f54.google.com",
     NULL,
     "mx.example.net",
     "esmtps",
     "1lqXyZ-0001Ab-Cd",
     "u@example.net",
     "a@gmail.com",
     NULL,
     "TLS1.3",
     "TLS_AES_256_GCM_SHA384",
     "exim",
     ESMTP | TLS,
     true,
     true,
     true,
     1623142800,
     NULL},
    /* Exim, no rdns: from [ip] (helo=x); authenticated submission */
    {"from [10.0.0.5] (helo=laptop) by smtp.example.org with esmtpsa "
     "(TLSv1:RC4-SHA:128) (Exim 4.42) id 1CJic5-00067m-U7",
     "10.0.0.5",
     NULL,
     "laptop",
     NULL,
     "smtp.example.org",
     "esmtpsa",
     "1CJic5-00067m-U7",
     NULL,
     NULL,
     NULL,
     "TLSv1",
     "RC4-SHA",
     "exim",
     ESMTP | TLS | AUTH,
     true,
     true,
     false,
     0,
     "rcvd.no-date"},
    /* Exim local delivery: no address, not a handover */
    {"from andrew by trinity.supernews.net with local (Exim 4.12) id "
     "18xeL6-000Dn1-00; Tue, 25 Mar 2003 02:39:00 +0000",
     NULL,
     NULL,
     "andrew",
     NULL,
     "trinity.supernews.net",
     "local",
     "18xeL6-000Dn1-00",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "exim",
     RCV_F_LOCAL,
     true,
     false,
     true,
     1048559940,
     NULL},
    /* sendmail, ident, may be forged, authenticated, TLS */
    {"from MARISELA (IDENT:joe@dsl-189-149-70-163.example.mx "
     "[189.149.70.163] (may be forged)) (authenticated bits=0) by "
     "mail.legosoft.com.mx (8.13.8/8.13.8) with ESMTP id kB3G26P6019032 "
     "(version=TLSv1/SSLv3 cipher=DHE-RSA-AES256-SHA bits=256 verify=NO) "
     "for <r@example.org>; Sun, 3 Dec 2006 10:02:16 -0600 (CST)",
     "189.149.70.163",
     "dsl-189-149-70-163.example.mx",
     "MARISELA",
     "joe",
     "mail.legosoft.com.mx",
     "ESMTP",
     "kB3G26P6019032",
     "r@example.org",
     NULL,
     "authenticated",
     "TLSv1/SSLv3",
     "DHE-RSA-AES256-SHA",
     "sendmail",
     ESMTP | TLS | AUTH,
     true,
     true,
     true,
     1165161736,
     NULL},
    /* qmail: rdns, HELO, ident@ip */
    {"from adsl-207-213-27-129.dsl.lsan03.pacbell.net (HELO merlin.net.au) "
     "(Owner50@207.213.27.129) by totor.example.net with SMTP; 10 Nov 2003 "
     "06:30:34 -0000",
     "207.213.27.129",
     "adsl-207-213-27-129.dsl.lsan03.pacbell.net",
     "merlin.net.au",
     "Owner50",
     "totor.example.net",
     "SMTP",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "qmail",
     SMTP,
     true,
     true,
     true,
     1068445834,
     NULL},
    /* qmail's own lines */
    {"(qmail 10681 invoked by uid 404); 14 Nov 2003 08:05:52 -0000",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "qmail",
     0,
     true,
     false,
     true,
     1068797152,
     NULL},
    {"(qmail 87263 messnum 771997 invoked from network[83.70.48.2/"
     "83-70-48-2.example.net]); 8 Mar 2004 23:59:05 -0000",
     "83.70.48.2",
     "83-70-48-2.example.net",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "qmail",
     0,
     true,
     true,
     true,
     1078790345,
     NULL},
    /* Microsoft 365, IPv6 client, TLS, via Frontend Transport */
    {"from AM6PR04MB1234.eurprd04.prod.outlook.com (2603:10a6:20b:e4::13) "
     "by AM6PR04MB5678.eurprd04.prod.outlook.com (2603:10a6:20b:f0::20) "
     "with Microsoft SMTP Server (version=TLS1_2, "
     "cipher=TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384) id 15.20.4173.21 via "
     "Frontend Transport; Tue, 8 Jun 2021 08:02:03 +0000",
     "2603:10a6:20b:e4::13",
     NULL,
     "AM6PR04MB1234.eurprd04.prod.outlook.com",
     NULL,
     "AM6PR04MB5678.eurprd04.prod.outlook.com",
     "Microsoft SMTP Server",
     "15.20.4173.21",
     NULL,
     NULL,
     NULL,
     "TLS1_2",
     "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
     "microsoft",
     ESMTP | TLS | RCV_F_IPV6,
     true,
     true,
     true,
     1623139323,
     NULL},
    /* Exchange / IIS */
    {"from tthompson ([217.35.105.172] unverified) by "
     "mail.neosinteractive.com with Microsoft SMTPSVC(5.0.2195.5329); Tue, "
     "11 Mar 2003 13:23:01 +0000",
     "217.35.105.172",
     NULL,
     "tthompson",
     NULL,
     "mail.neosinteractive.com",
     "Microsoft SMTPSVC",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "exchange",
     ESMTP,
     true,
     true,
     true,
     1047388981,
     NULL},
    {"from mail pickup service by hotmail.com with Microsoft SMTPSVC; Tue, "
     "16 Mar 2004 18:12:31 -0800",
     NULL,
     NULL,
     "mail",
     NULL,
     "hotmail.com",
     "Microsoft SMTPSVC",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "exchange",
     ESMTP,
     true,
     false,
     true,
     1079489551,
     NULL},
    /* Gmail: Google's own submission, root dot dropped from rdns */
    {"from mail-sor-f41.google.com (mail-sor-f41.google.com. "
     "[209.85.220.41]) by mx.google.com with SMTPS id q20sor123.61 for "
     "<bob@example.com> (Google Transport Security); Tue, 08 Jun 2021 "
     "01:02:03 -0700 (PDT)",
     "209.85.220.41",
     "mail-sor-f41.google.com",
     "mail-sor-f41.google.com",
     NULL,
     "mx.google.com",
     "SMTPS",
     "q20sor123.61",
     "bob@example.com",
     NULL,
     "Google Transport Security",
     NULL,
     NULL,
     "gmail",
     SMTP | TLS | AUTH,
     true,
     true,
     true,
     1623139323,
     NULL},
    {"from [192.168.1.5] (host-1-2-3-4.example.net. [1.2.3.4]) by "
     "smtp.gmail.com with ESMTPSA id x12sm123 for <bob@example.com> "
     "(version=TLS1_3 cipher=TLS_AES_128_GCM_SHA256 bits=128/128); Tue, 08 "
     "Jun 2021 01:02:03 -0700 (PDT)",
     "1.2.3.4",
     "host-1-2-3-4.example.net",
     "[192.168.1.5]",
     NULL,
     "smtp.gmail.com",
     "ESMTPSA",
     "x12sm123",
     "bob@example.com",
     NULL,
     NULL,
     "TLS1_3",
     "TLS_AES_128_GCM_SHA256",
     "gmail",
     ESMTP | TLS | AUTH,
     true,
     true,
     true,
     1623139323,
     NULL},
    /* Gmail internal step: no from-part, not a handover */
    {"by 2002:a05:6402:1234:0:0:0:0 with SMTP id x12csp123; Tue, 8 Jun "
     "2021 01:02:03 -0700 (PDT)",
     NULL,
     NULL,
     NULL,
     NULL,
     "2002:a05:6402:1234:0:0:0:0",
     "SMTP",
     "x12csp123",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "unknown",
     SMTP,
     true,
     false,
     true,
     1623139323,
     NULL},
    /* Courier: AUTH: and SSL:, softdnserr, ::ffff: mapped */
    {"from gorkcomputer (my.dns.com [1.2.3.4]) (AUTH: LOGIN "
     "gork@mydomain.com, SSL: TLSv1/SSLv3,128bits,RC4-MD5) by mydomain.com "
     "with esmtp; Thu, 10 Nov 2005 08:24:21 -0600 id "
     "000000DB.43735815.00001E11",
     "1.2.3.4",
     "my.dns.com",
     "gorkcomputer",
     NULL,
     "mydomain.com",
     "esmtp",
     "000000DB.43735815.00001E11",
     NULL,
     NULL,
     "gork@mydomain.com",
     "TLSv1/SSLv3",
     "RC4-MD5",
     "courier",
     ESMTP | TLS | AUTH,
     true,
     true,
     true,
     1131632661,
     NULL},
    {"from m165.example.biz (softdnserr [::ffff:64.235.238.165]) by "
     "mail.cs.helsinki.fi with esmtp; Sun, 17 Aug 2003 19:30:42 +0300",
     "64.235.238.165",
     NULL,
     "m165.example.biz",
     NULL,
     "mail.cs.helsinki.fi",
     "esmtp",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "unknown",
     ESMTP,
     true,
     true,
     true,
     1061137842,
     NULL},
    /* Haraka: envelope-from outside comments */
    {"from mx.example.com (mx.example.com [203.0.113.9]) by "
     "haraka.example.net (Haraka/2.8.25) with ESMTPS id 5A6B7C8D-1234 "
     "envelope-from <a@example.com> (version=TLSv1.3 "
     "cipher=TLS_AES_256_GCM_SHA384); Tue, 08 Jun 2021 10:00:00 +0000",
     "203.0.113.9",
     "mx.example.com",
     "mx.example.com",
     NULL,
     "haraka.example.net",
     "ESMTPS",
     "5A6B7C8D-1234",
     NULL,
     "a@example.com",
     NULL,
     "TLSv1.3",
     "TLS_AES_256_GCM_SHA384",
     "haraka",
     ESMTP | TLS,
     true,
     true,
     true,
     1623146400,
     NULL},
    /* Yahoo webmail and SMTP submission */
    {"from [94.79.161.130] by web123.mail.yahoo.com via HTTP; Tue, 11 Nov "
     "2014 20:32:34 +0100",
     "94.79.161.130",
     NULL,
     NULL,
     NULL,
     "web123.mail.yahoo.com",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "yahoo",
     RCV_F_HTTP,
     true,
     true,
     true,
     1415734354,
     NULL},
    {"from 211.245.85.228  (EHLO ) (211.245.85.228) by "
     "mta232.mail.scd.yahoo.com with SMTP; Sun, 25 Jan 2004 00:24:37 -0800",
     "211.245.85.228",
     "211.245.85.228",
     NULL,
     NULL,
     "mta232.mail.scd.yahoo.com",
     "SMTP",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "yahoo",
     SMTP,
     true,
     true,
     true,
     1075019077,
     NULL},
    /* SendGrid: Go's time format without ';', and (SG) */
    {"by filter0225p1las1.sendgrid.net with SMTP id "
     "filter0225p1las1-16169-5D3FB5D8-1E 2019-07-30 03:14:32.389062136 "
     "+0000 UTC m=+1000.118355963",
     NULL,
     NULL,
     NULL,
     NULL,
     "filter0225p1las1.sendgrid.net",
     "SMTP",
     "filter0225p1las1-16169-5D3FB5D8-1E",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "sendgrid",
     SMTP,
     true,
     false,
     true,
     1564456472,
     NULL},
    {"from MTgwNTA2MQ (unknown) by ismtpd0001p1lon1.sendgrid.net (SG) with "
     "HTTP id aBcDeFg for <x@example.com>; Tue, 08 Jun 2021 10:00:00.123 "
     "+0000 (UTC)",
     NULL,
     NULL,
     NULL,
     NULL,
     "ismtpd0001p1lon1.sendgrid.net",
     "HTTP",
     "aBcDeFg",
     "x@example.com",
     NULL,
     NULL,
     NULL,
     NULL,
     "sendgrid",
     RCV_F_HTTP,
     true,
     true,
     true,
     1623146400,
     NULL},
    /* CommuniGate account, ESMTPSA, HELO literal */
    {"from [128.114.2.223] (account user@example.edu HELO [10.10.10.10]) by "
     "silver.ucsc.edu (CommuniGate Pro SMTP 4.3.7) with ESMTPSA id 88402416 "
     "for user@example.edu; Mon, 04 Dec 2006 13:15:07 -0800",
     "128.114.2.223",
     NULL,
     "[10.10.10.10]",
     NULL,
     "silver.ucsc.edu",
     "ESMTPSA",
     "88402416",
     "user@example.edu",
     NULL,
     "user@example.edu",
     NULL,
     NULL,
     "communigate",
     ESMTP | TLS | AUTH,
     true,
     true,
     true,
     1165266907,
     NULL},
    /* a stray ';' before `by` (SquirrelMail) */
    {"from 153.90.199.141 (SquirrelMail authenticated user admin); by "
     "web1.cs.montana.edu with HTTP; Thu, 23 Sep 2004 14:35:29 -0600 (MDT)",
     "153.90.199.141",
     NULL,
     NULL,
     NULL,
     "web1.cs.montana.edu",
     "HTTP",
     NULL,
     NULL,
     NULL,
     "admin",
     NULL,
     NULL,
     "unknown",
     RCV_F_HTTP | AUTH,
     true,
     true,
     true,
     1095971729,
     "rcvd.stray-semicolon"},
    /* the from-part written as a comment (NAVGW) */
    {"(from KRYPTIK [70.20.57.51]) by host.name (NAVGW 2.5.2.12) with SMTP "
     "id M2006040415284308595; Tue, 04 Apr 2006 15:28:45 +0100",
     "70.20.57.51",
     NULL,
     "KRYPTIK",
     NULL,
     "host.name",
     "SMTP",
     "M2006040415284308595",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "unknown",
     SMTP,
     true,
     true,
     true,
     1144160925,
     NULL},
    /* zone id stripped, unknown protocol, bad date */
    {"from a (b [fe80::1%eth0]) by z with TFTP; not a date",
     "fe80::1",
     "b",
     "a",
     NULL,
     "z",
     "TFTP",
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     NULL,
     "unknown",
     RCV_F_UNKNOWN_WITH | RCV_F_IPV6,
     true,
     true,
     false,
     0,
     "rcvd.bad-date"},
    /* garbage */
    {"apparently", NULL,  NULL, NULL,           NULL, NULL,      NULL, NULL,
     NULL,         NULL,  NULL, NULL,           NULL, "unknown", 0,    false,
     false,        false, 0,    "rcvd.unparsed"},
    {"",   NULL,  NULL,  NULL,  NULL, NULL,          NULL,
     NULL, NULL,  NULL,  NULL,  NULL, NULL,          "unknown",
     0,    false, false, false, 0,    "rcvd.no-date"},
    {"from (((( by", NULL, NULL,  NULL,      NULL,
     NULL,           NULL, NULL,  NULL,      NULL,
     NULL,           NULL, NULL,  "unknown", 0,
     true,           true, false, 0,         "rcvd.unclosed-comment"},
};

static void
parse(const char *v, size_t n, struct received *r)
{
	arena_reset(A);
	findings_init(&F, A);
	received_parse(str_make(v, n), A, r, &F, 0, 0);
}

/* Compare one field both ways: expected NULL means it must be empty. */
static void
check(const char *raw, const char *name, struct str got, const char *want)
{
	bool ok = want ? (got.n == strlen(want) && !memcmp(got.p, want, got.n))
	               : got.n == 0;
	if (!ok)
		fail_msg("%s: %s is '%.*s', want '%s'\n  in: %s", name, name,
		         (int)got.n, got.p ? got.p : "", want ? want : "", raw);
}

static void
check_row(const struct row *w)
{
	struct received r;
	parse(w->raw, strlen(w->raw), &r);
	check(w->raw, "ip", r.ip, w->ip);
	check(w->raw, "rdns", r.rdns, w->rdns);
	check(w->raw, "helo", r.helo, w->helo);
	check(w->raw, "ident", r.ident, w->ident);
	check(w->raw, "by", r.by, w->by);
	check(w->raw, "with", r.with, w->with);
	check(w->raw, "id", r.id, w->id);
	check(w->raw, "for", r.for_, w->for_);
	check(w->raw, "envelope_from", r.envelope_from, w->envfrom);
	check(w->raw, "auth", r.auth, w->auth);
	check(w->raw, "tls_version", r.tls_version, w->tls_version);
	check(w->raw, "tls_cipher", r.tls_cipher, w->tls_cipher);
	if (strcmp(received_mta_names[r.mta], w->mta))
		fail_msg("mta is %s, want %s\n  in: %s",
		         received_mta_names[r.mta], w->mta, w->raw);
	if (r.flags != w->flags)
		fail_msg("flags %#x, want %#x\n  in: %s", r.flags, w->flags,
		         w->raw);
	if (r.parsed != w->parsed || r.handover != w->handover ||
	    r.has_date != w->has_date)
		fail_msg(
		    "parsed %d handover %d date %d, want %d %d %d\n  in: %s",
		    r.parsed, r.handover, r.has_date, w->parsed, w->handover,
		    w->has_date, w->raw);
	if (w->has_date && r.time != w->time)
		fail_msg("time %lld, want %lld\n  in: %s", (long long)r.time,
		         (long long)w->time, w->raw);
	if (w->finding && !findings_has(&F, w->finding))
		fail_msg("finding %s missing\n  in: %s", w->finding, w->raw);
	assert_true(r.raw.p == w->raw);
}

static void
test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
}

static void
test_flag_names(void **state)
{
	(void)state;
	assert_string_equal(received_flag_names[0], "smtp");
	assert_string_equal(received_flag_names[3], "auth");
	assert_string_equal(received_flag_names[RECEIVED_NFLAGS - 1],
	                    "unknown-with");
	assert_int_equal(1u << (RECEIVED_NFLAGS - 1), RCV_F_UNKNOWN_WITH);
}

static void
test_zone(void **state)
{
	(void)state;
	struct received r;
	const char *v = "from a ([192.0.2.1]) by b; Mon, 1 Jan 2024 00:00:00 "
	                "-0130";
	parse(v, strlen(v), &r);
	assert_true(r.has_date);
	assert_int_equal(r.tz_offset, -90);
	assert_false(r.tz_missing);
	assert_int_equal(r.time, 1704072600);
}

/* NUL and 8-bit bytes are data: nothing stops at a NUL. */
static void
test_nul_8bit(void **state)
{
	(void)state;
	struct received r;
	static const char v[] =
	    "from h\0st (r\xe9v [192.0.2.7]) by b\xff.example "
	    "with ESMTP; Mon, 1 Jan 2024 00:00:00 +0000";
	parse(v, sizeof(v) - 1, &r);
	assert_int_equal(r.helo.n, 4);
	assert_memory_equal(r.helo.p, "h\0st", 4);
	assert_int_equal(r.rdns.n, 3);
	assert_int_equal(r.ip.n, strlen("192.0.2.7"));
	assert_int_equal(r.by.n, strlen("b\xff.example"));
	assert_true(r.has_date);
}

static char *
repeat(const char *head, char c, size_t n, const char *tail)
{
	size_t h = strlen(head), t = strlen(tail);
	char *p = malloc(h + n + t);
	assert_non_null(p);
	memcpy(p, head, h);
	memset(p + h, c, n);
	memcpy(p + h + n, tail, t);
	return p;
}

static void
test_depth_limit(void **state)
{
	(void)state;
	struct received r;
	size_t n = 100000;
	char *p = repeat("from a ", '(', n, "");
	parse(p, 7 + n, &r);
	assert_true(findings_has(&F, "rcvd.comment-depth"));
	assert_true(findings_has(&F, "rcvd.unclosed-comment"));
	free(p);
	/* 32 levels are fine, 33 are not */
	char v[256];
	int k = snprintf(v, sizeof(v), "from a ");
	for (int i = 0; i < RECEIVED_MAX_COMMENT_DEPTH; i++)
		v[k++] = '(';
	for (int i = 0; i < RECEIVED_MAX_COMMENT_DEPTH; i++)
		v[k++] = ')';
	k += snprintf(v + k, sizeof(v) - (size_t)k,
	              " by b; Mon, 1 Jan 2024 "
	              "00:00:00 +0000");
	parse(v, (size_t)k, &r);
	assert_false(findings_has(&F, "rcvd.comment-depth"));
	assert_true(r.parsed && r.has_date);
}

static void
test_length_limit(void **state)
{
	(void)state;
	struct received r;
	size_t n = 10u << 20; /* a 10 MB line */
	char *p = repeat("from a ([192.0.2.1]) by b id ", 'x', n, "; date");
	parse(p, strlen("from a ([192.0.2.1]) by b id ") + n + 6, &r);
	assert_true(findings_has(&F, "rcvd.too-long"));
	assert_true(r.parsed);
	assert_int_equal(r.ip.n, strlen("192.0.2.1"));
	assert_true(r.id.n > 0 && r.id.n < RECEIVED_MAX_BYTES);
	free(p);
	/* many tiny tokens and brackets: still linear */
	p = repeat("from ", '[', RECEIVED_MAX_BYTES - 20, " by b");
	parse(p, RECEIVED_MAX_BYTES - 15, &r);
	assert_true(r.parsed);
	free(p);
}

/* Words and comments longer than the sixteen bytes the scans read at a
 * time, control and 8-bit bytes inside words (candidates the byte table
 * turns down), a quoted parenthesis and nesting across block edges, and
 * a value that ends inside a word. */
static void
test_long_words(void **state)
{
	(void)state;
	struct received r;
	static const char v[] =
	    "from "
	    "abcdefghijklmnop\x01qrstuvw\x1fxyz.example\t(abcdefghijklmnopq"
	    "rstuvwxyz.example [192.0.2.77] (a\\) nested (deeper \\(x) and "
	    "on)) by mx-with-a-rather-long-name.example.org (Postfix) with "
	    "ESMTP id ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 for "
	    "<recipient-with-long-name@example.org>; Mon, 1 Jan 2024 00:00:00 "
	    "+0000";
	parse(v, sizeof(v) - 1, &r);
	assert_int_equal(r.helo.n, strlen("abcdefghijklmnop\x01qrstuvw\x1fxyz."
	                                  "example"));
	assert_memory_equal(r.rdns.p, "abcdefghijklmnopqrstuvwxyz.example",
	                    r.rdns.n);
	assert_memory_equal(r.ip.p, "192.0.2.77", r.ip.n);
	assert_memory_equal(r.by.p, "mx-with-a-rather-long-name.example.org",
	                    r.by.n);
	assert_memory_equal(r.id.p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", r.id.n);
	assert_int_equal(r.id.n, 32);
	assert_memory_equal(r.for_.p, "recipient-with-long-name@example.org",
	                    r.for_.n);
	assert_true(r.has_date);
	assert_false(findings_has(&F, "rcvd.unclosed-comment"));
	/* the value ends in a long word: nothing is read past it */
	static const char w[] = "by host.example with ESMTP id "
	                        "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	parse(w, sizeof(w) - 1, &r);
	assert_int_equal(r.id.n, 26);
	/* an unclosed comment of more than sixteen bytes */
	static const char u[] = "from a (b [192.0.2.1] and more words";
	parse(u, sizeof(u) - 1, &r);
	assert_true(findings_has(&F, "rcvd.unclosed-comment"));
	/* the last word read in the last sixteen bytes (the bytes before
	 * it masked off): an id of every length up to 40, at the end of
	 * the value or before a break, a comment or a date */
	static const char *const after[] = {"", " ", ")", "(c)", "; 1 Jan"};
	for (size_t n = 1; n <= 40; n++)
		for (size_t j = 0; j < sizeof(after) / sizeof(*after); j++) {
			char buf[128];
			int len =
			    snprintf(buf, sizeof(buf), "by h id %.*s%s", (int)n,
			             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			             "abcd",
			             after[j]);
			parse(buf, (size_t)len, &r);
			if (r.id.n != n)
				fail_msg("[%s]: id of %zu bytes", buf, r.id.n);
		}
}

/* The words of a comment end in one block of sixteen bytes read on into
 * the value when it goes on that far (and byte by byte when it does not):
 * a last word of every length up to 24, with a control byte the byte table
 * turns down, before each way a comment's word can end, at the value's end
 * or before more clauses. */
static void
test_comment_words(void **state)
{
	(void)state;
	static const char *const close[] = {")", " )", "(x))", ";)", ""};
	static const char *const tail[] = {
	    "", " with ESMTP id 0123456789abcdef; Mon, 1 Jan 2024 00:00:00"};
	for (int n = 1; n <= 24; n++)
		for (size_t c = 0; c < sizeof(close) / sizeof(*close); c++)
			for (size_t t = 0; t < sizeof(tail) / sizeof(*tail);
			     t++) {
				char v[256];
				struct received r;
				int len = snprintf(
				    v, sizeof(v),
				    "by h (Authenticated sender: %.*s%s%s", n,
				    "ab\x01"
				    "cdefghijklmnopqrstuvwxyz",
				    close[c], *close[c] ? tail[t] : "");
				parse(v, (size_t)len, &r);
				if (r.auth.n != (size_t)n)
					fail_msg("[%s]: auth of %zu bytes", v,
					         r.auth.n);
			}
}

/* Protocol names and by-host suffixes match in either case of a letter
 * and only there: a byte that differs from a digit or '-' in bit 0x20
 * alone matches nothing. */
static void
test_name_case(void **state)
{
	(void)state;
	static const struct {
		const char *v;
		unsigned flags;
		const char *mta;
	} c[] = {
	    {"by h with EsMtPsA", ESMTP | TLS | AUTH, "unknown"},
	    {"by h with UTF8SMTP", SMTP | RCV_F_UTF8, "unknown"},
	    {"by h with UTF\x18SMTP", RCV_F_UNKNOWN_WITH, "unknown"},
	    {"by h with Esmtp-Tls", ESMTP | TLS, "unknown"},
	    {"by MX.Google.COM with SMTP", SMTP, "gmail"},
	    {"by x.AMAZONSES.com with SMTP", SMTP, "amazonses"},
	    {"by x.office\x16"
	     "5.com with SMTP",
	     SMTP, "unknown"},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		struct received r;
		parse(c[i].v, strlen(c[i].v), &r);
		if (r.flags != c[i].flags ||
		    strcmp(received_mta_names[r.mta], c[i].mta))
			fail_msg("[%s]: flags %#x, mta %s", c[i].v, r.flags,
			         received_mta_names[r.mta]);
	}
}

/* Address literals: the common [a.b.c.d] ends at the quad, the others
 * at the first ']' */
static void
test_literals(void **state)
{
	(void)state;
	static const char *const c[][2] = {
	    {"[192.0.2.1]", "192.0.2.1"},
	    {"[192.0.2.1]:25", "192.0.2.1"},
	    {"[192.0.2.1]:2x", ""},
	    {"[192.0.2.1]x", ""},
	    {"[192.0.2.1]:", ""},
	    {"[192.0.2.1]]", ""},
	    {"[192.0.2.1:25]", "192.0.2.1"},
	    {"[192.0.2.1.25]", "192.0.2.1"},
	    {"[192.0.2.256]", ""},
	    /* v4_len's shortest and longest quads, four digits, a digit
	     * at byte 16 */
	    {"[1.2.3.4]", "1.2.3.4"},
	    {"[255.255.255.255]", "255.255.255.255"},
	    {"[255.255.255.2555]", ""},
	    {"[1.2.3.4444]", ""},
	    {"[1.2.3.4:12345678901]", "1.2.3.4"},
	    {"[001.002.003.004]", "001.002.003.004"},
	    {"[1.2.3.]", ""},
	    {"[192.0.2.1", ""},
	    {"[IPv6:2001:db8::1]", "2001:db8::1"},
	    {"[2001:db8::2]:25", "2001:db8::2"},
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(*c); i++) {
		char v[128];
		struct received r;
		int len = snprintf(v, sizeof(v), "from h (%s) by x", c[i][0]);
		parse(v, (size_t)len, &r);
		if (r.ip.n != strlen(c[i][1]) ||
		    (r.ip.n && memcmp(r.ip.p, c[i][1], r.ip.n)))
			fail_msg("[%s]: ip %.*s", v, (int)r.ip.n, r.ip.p);
	}
}

/* GMX's submission servers, known by the by host and an (mpNNN)
 * comment: both are needed */
static void
test_gmx(void **state)
{
	(void)state;
	struct received r;
	static const char *const v[] = {
	    "from [192.0.2.1] by mail.gmx.net (mp033) with SMTP",
	    "from [192.0.2.1] by MAIL.GMX.COM (mp1) with SMTP",
	    "from [192.0.2.1] by mail.gmx.org (mp033) with SMTP",
	    "from [192.0.2.1] by mail.gmx.net (mx033) with SMTP",
	    "from [192.0.2.1] (mp033) by mail.gmx.net with SMTP",
	};
	static const bool gmx[] = {true, true, false, false, true};
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		parse(v[i], strlen(v[i]), &r);
		if (!strcmp(received_mta_names[r.mta], "gmx") != gmx[i] ||
		    (gmx[i] && r.auth.n != strlen("mail.gmx.net")))
			fail_msg("[%s]: mta %s, auth %zu bytes", v[i],
			         received_mta_names[r.mta], r.auth.n);
	}
}

/* ident@ip and user@host before [ip]: the ident ends at the last '@' */
static void
test_ident_at(void **state)
{
	(void)state;
	struct received r;
	static const char a[] = "from h (a@b@192.0.2.1) by x.example with SMTP";
	parse(a, sizeof(a) - 1, &r);
	assert_int_equal(r.ident.n, 3);
	assert_memory_equal(r.ident.p, "a@b", 3);
	assert_memory_equal(r.ip.p, "192.0.2.1", r.ip.n);
	static const char b[] =
	    "from h (IDENT:u@v@rdns.example [192.0.2.2]) by x.example";
	parse(b, sizeof(b) - 1, &r);
	assert_int_equal(r.ident.n, 3);
	assert_memory_equal(r.ident.p, "u@v", 3);
	assert_int_equal(r.rdns.n, strlen("rdns.example"));
	static const char c[] = "from h (@192.0.2.3) by x.example";
	parse(c, sizeof(c) - 1, &r);
	assert_int_equal(r.ident.n, 0);
	assert_memory_equal(r.ip.p, "192.0.2.3", r.ip.n);
}

/* The date read in place (message_date_common in parse/message.c) against
 * message_date_parse, which the long way asks: dates built from pieces,
 * good and bad, then bytes changed at random. Neither " id ", '.' nor an
 * ISO shape is made, so the answer must be message_date_parse's on the
 * text before the first '('. */
static void
test_date_fast(void **state)
{
	(void)state;
	static const char *const lead[] = {
	    "",      "Mon, ",  "Tue,",  "Wed ,", "Thu , ", "Fri,\r\n ",
	    "sat, ", "Sun,\t", "Xyz, ", "Mon ",  "Sat,  ", "Sun,\n\t"};
	static const char *const day[] = {"1",  "01", "9",  "31",  "30",
	                                  "29", "0",  "00", "123", "7"};
	static const char *const blank[] = {" ", "  ", "\t", "\r\n ",
	                                    "",  " ",  " ",  "\n"};
	static const char *const mon[] = {
	    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
	    "Sep", "Oct", "Nov", "Dec", "jan", "FEB", "Foo", "Ja"};
	static const char *const year[] = {"2024", "1970", "1971", "2000",
	                                   "1900", "9999", "24",   "20x4"};
	static const char *const tim[] = {"10:00:00", "23:59:59", "24:00:00",
	                                  "10:60:00", "10:00:60", "10:00",
	                                  "1:00:00",  "10:00:0",  "09:05:59"};
	static const char *const zone[] = {"+0000",  "-0700", "+1459", "+1500",
	                                   "-1400",  "+0060", "GMT",   "+000",
	                                   "+00000", "0000",  "UT",    "EST"};
	static const char *const tail[] = {
	    "", " ", " (PDT)", "(PDT)", "  (envelope-from x@y)", "\t(x)"};
	static const char mut[] = {' ',  '0',  '9', 'a', ',',  ':',
	                           '\t', '\0', 'M', '+', '\r', '\n'};
#define PICK(t) (t)[(rnd >> 33) % (sizeof(t) / sizeof((t)[0]))]
	uint64_t rnd = 0x9e3779b97f4a7c15ULL;
	char v[256];
	size_t ok = 0;
	for (int it = 0; it < 40000; it++) {
		size_t n = 0;
		const char *parts[11];
		int np = 0;
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(lead);
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(day);
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(blank);
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(mon);
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(blank);
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(year);
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(blank);
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(tim);
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(blank);
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(zone);
		rnd = rnd * 6364136223846793005ULL + 1442695040888963407ULL;
		parts[np++] = PICK(tail);
		memcpy(v, "by x; ", 6);
		n = 6;
		for (int k = 0; k < np; k++) {
			memcpy(v + n, parts[k], strlen(parts[k]));
			n += strlen(parts[k]);
		}
		/* a third of them with one or two bytes changed */
		for (int m = 0; m < 2; m++) {
			rnd = rnd * 6364136223846793005ULL +
			      1442695040888963407ULL;
			if ((rnd >> 40) % 3 == 0 && n > 6)
				v[6 + (rnd >> 20) % (n - 6)] = PICK(mut);
		}
		struct str d = str_make(v + 6, n - 6);
		const char *lp = memchr(d.p, '(', d.n);
		if (lp)
			d.n = (size_t)(lp - d.p);
		struct date want = message_date_parse(d);
		/* what the in-place reader takes, the long way (forced by a
		 * comment after the zone, which only it reads) takes alike */
		struct date c;
		if (message_date_common(d, &c)) {
			char w[sizeof(v) + 8];
			memcpy(w, d.p, d.n);
			memcpy(w + d.n, " (x)", 4);
			struct date l =
			    message_date_parse(str_make(w, d.n + 4));
			if (!l.ok || l.utc != c.utc ||
			    l.tz_offset != c.tz_offset ||
			    l.tz_missing != c.tz_missing)
				fail_msg("in place %lld %d, long way %d %lld "
				         "%d\n  in: [%.*s]",
				         (long long)c.utc, c.tz_offset, l.ok,
				         (long long)l.utc, l.tz_offset,
				         (int)d.n, d.p);
		}
		struct received r;
		parse(v, n, &r);
		if (r.has_date != want.ok ||
		    (want.ok &&
		     (r.time != want.utc || r.tz_offset != want.tz_offset ||
		      r.tz_missing != want.tz_missing)))
			fail_msg(
			    "date %d %lld %d %d, want %d %lld %d %d\n  in: "
			    "[%.*s]",
			    r.has_date, (long long)r.time, r.tz_offset,
			    r.tz_missing, want.ok, (long long)want.utc,
			    want.tz_offset, want.tz_missing, (int)n, v);
		ok += want.ok;
	}
#undef PICK
	/* the pieces make both kinds */
	assert_true(ok > 1000 && ok < 39000);
}

/* message_date_common counts the days itself: against message_days_from_civil
 * for every year it reads, at the ends of the months around a leap day. */
static void
test_date_days(void **state)
{
	(void)state;
	static const char *const mon[] = {"Jan", "Feb", "Mar", "Dec"};
	static const int mnum[] = {1, 2, 3, 12};
	static const int mday[] = {1, 28, 29, 31};
	char v[64];
	for (int y = 1971; y <= 9999; y++)
		for (int m = 0; m < 4; m++)
			for (int k = 0; k < 4; k++) {
				int dd = mday[k];
				bool leap = (y % 4 == 0 && y % 100 != 0) ||
				            y % 400 == 0;
				if ((mnum[m] == 2 && dd > 28 + leap) ||
				    (mnum[m] != 12 && mnum[m] != 1 && dd == 31))
					continue;
				int n =
				    snprintf(v, sizeof(v),
				             "by x; %d %s %d 00:00:00 +0000",
				             dd, mon[m], y);
				struct received r;
				parse(v, (size_t)n, &r);
				int64_t want =
				    message_days_from_civil(
				        y, (unsigned)mnum[m], (unsigned)dd) *
				    86400;
				if (!r.has_date || r.time != want)
					fail_msg("time %lld, want %lld: %s",
					         (long long)r.time,
					         (long long)want, v);
			}
}

/* scan_comments reads the comments tokenize recorded, or every token past
 * sixteen comments: the last of many comments is read either way */
static void
test_many_comments(void **state)
{
	(void)state;
	for (int n = 1; n <= 40; n++) {
		char v[1024];
		size_t o = (size_t)snprintf(v, sizeof(v), "from a ");
		for (int k = 1; k < n; k++)
			o +=
			    (size_t)snprintf(v + o, sizeof(v) - o, "(c%d) ", k);
		o += (size_t)snprintf(v + o, sizeof(v) - o,
		                      "by b (Postfix) (authenticated as u) "
		                      "with ESMTP; Fri, 14 Nov 2003 09:05:49 "
		                      "+0100");
		struct received r;
		parse(v, o, &r);
		if (strcmp(received_mta_names[r.mta], "postfix") ||
		    !(r.flags & RCV_F_AUTH) || r.auth.n != 1)
			fail_msg("%d comments: mta %s, flags %#x\n  in: %s", n,
			         received_mta_names[r.mta], r.flags, v);
	}
}

/* A backslash in a comment quotes the next byte to the scan that finds
 * the comment's end and is a byte of a word to the one that cuts its
 * words (tokenize cuts the words as it finds the end, and takes the two
 * scans when a backslash lies outside the nested comments): escaped
 * parentheses and backslashes, top-level and nested, in comments shorter
 * and longer than sixteen bytes, and past the words a comment keeps. */
static void
test_comment_backslash(void **state)
{
	(void)state;
	static const struct {
		const char *v, *ip, *rdns, *helo, *by;
		bool unclosed;
	} cases[] = {
	    {"from a (b\\) [192.0.2.5]) by c.example (Postfix)", "192.0.2.5",
	     "b\\", "a", "c.example", false},
	    /* to cwords, "(b [192.0.2.5])" is a nested comment: unread */
	    {"from a (\\(b [192.0.2.5]) by c.example (Postfix)", NULL, NULL,
	     "a", "c.example", false},
	    {"from a (b \\\\) by c.example (Postfix)", NULL, NULL, "a",
	     "c.example", false},
	    {"from a (b \\\\\\) [192.0.2.5]) by c.example (Postfix)",
	     "192.0.2.5", "\\\\\\", "a", "c.example", false},
	    {"from a (host.example.org\\) [192.0.2.5] helo=x) by c.example "
	     "(Postfix)",
	     "192.0.2.5", "host.example.org\\", "a", "c.example", false},
	    {"from a (host.example.org (x\\) y) [192.0.2.5]) by c.example "
	     "(Postfix)",
	     "192.0.2.5", "host.example.org", "a", "c.example", false},
	    {"from a (host.example.org [192.0.2.5] \\(b) by c.example",
	     "192.0.2.5", "host.example.org", "a", "c.example", false},
	    {"from a (w1 w2 w3 w4 w5 w6 w7 w8 w9 w10 w11 w12 w13 w14 w15 w16 "
	     "w17 w18 w19 w20 w21 w22 w23 [192.0.2.5] w25 \\) w26) by "
	     "c.example (Postfix)",
	     "192.0.2.5", "w23", "a", "c.example", false},
	    {"from a (b [192.0.2.5] \\", "192.0.2.5", "b", "a", NULL, true},
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(*cases); k++) {
		struct received r;
		parse(cases[k].v, strlen(cases[k].v), &r);
		check(cases[k].v, "ip", r.ip, cases[k].ip);
		check(cases[k].v, "rdns", r.rdns, cases[k].rdns);
		check(cases[k].v, "helo", r.helo, cases[k].helo);
		check(cases[k].v, "by", r.by, cases[k].by);
		if (findings_has(&F, "rcvd.unclosed-comment") !=
		    cases[k].unclosed)
			fail_msg("[%s]: unclosed comment", cases[k].v);
	}
}

/* A date's first '(' and any ';' in it, in one scan: dates shorter and
 * longer than sixteen bytes, the comment after one to twenty spaces, so
 * that the '(' and the ';' fall before, in and after each block. */
static void
test_date_tail(void **state)
{
	(void)state;
	static const char *const dates[] = {"1 Jan 2024",
	                                    "Mon, 1 Jan 2024 00:00:00 +0000"};
	for (size_t d = 0; d < 2; d++)
		for (int sp = 1; sp <= 20; sp++) {
			char v[160];
			struct received r;
			int n = snprintf(v, sizeof(v),
			                 "by h; %s%*s(envelope-from <a@b>)",
			                 dates[d], sp, "");
			parse(v, (size_t)n, &r);
			check(v, "envfrom", r.envelope_from, "a@b");
			if (findings_has(&F, "rcvd.stray-semicolon"))
				fail_msg("[%s]: stray ';'", v);
			n = snprintf(v, sizeof(v), "by h; %s%*s(a b;c)",
			             dates[d], sp, "");
			parse(v, (size_t)n, &r);
			if (!findings_has(&F, "rcvd.stray-semicolon"))
				fail_msg("[%s]: no stray ';'", v);
			n = snprintf(v, sizeof(v), "by h; %s%*s;", dates[d], sp,
			             "");
			parse(v, (size_t)n, &r);
			if (!findings_has(&F, "rcvd.stray-semicolon"))
				fail_msg("[%s]: no stray ';'", v);
		}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table),
	    cmocka_unit_test(test_flag_names),
	    cmocka_unit_test(test_zone),
	    cmocka_unit_test(test_nul_8bit),
	    cmocka_unit_test(test_long_words),
	    cmocka_unit_test(test_comment_words),
	    cmocka_unit_test(test_name_case),
	    cmocka_unit_test(test_literals),
	    cmocka_unit_test(test_gmx),
	    cmocka_unit_test(test_ident_at),
	    cmocka_unit_test(test_depth_limit),
	    cmocka_unit_test(test_length_limit),
	    cmocka_unit_test(test_date_fast),
	    cmocka_unit_test(test_date_days),
	    cmocka_unit_test(test_many_comments),
	    cmocka_unit_test(test_comment_backslash),
	    cmocka_unit_test(test_date_tail),
	};
	return cmocka_run_group_tests_name(
	    "received", tests, unit_setup_parsers, unit_teardown_parsers);
}
