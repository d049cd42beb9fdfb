#!/usr/bin/perl
# sa_relays.pl: SpamAssassin's relay extraction, the peer for `make bench`.
# Reads an mbox (mboxrd, as bench/run.sh writes it), parses the first
# LIMIT messages (0: all) with Mail::SpamAssassin and reads the relays it
# extracted from their Received lines (X-Spam-Relays-Untrusted/Trusted:
# the same path relaytrace builds). Prints "messages relays seconds", the
# seconds being the parse-and-extract loop alone (rule loading excluded).
use strict;
use warnings;
use Time::HiRes qw(time);
use Mail::SpamAssassin;
use Mail::SpamAssassin::PerMsgStatus;

my ($file, $limit) = @ARGV;
$limit ||= 0;
my $sa = Mail::SpamAssassin->new({
	local_tests_only => 1, dont_copy_prefs => 1,
	userprefs_filename => '/dev/null', username => 'bench',
	post_config_text => "use_bayes 0\n",
});
$sa->init(0);
open(my $fh, '<:raw', $file) or die "$file: $!";
my @msg;
my ($n, $relays) = (0, 0);
my $t0 = time;
my $one = sub {
	return unless @msg;
	my $m = $sa->parse(\@msg, 1);
	my $pms = Mail::SpamAssassin::PerMsgStatus->new($sa, $m);
	$m->extract_message_metadata($pms);
	my $md = $m->{metadata};
	$relays += scalar @{$md->{relays_trusted} || []};
	$relays += scalar @{$md->{relays_untrusted} || []};
	$pms->finish;
	$m->finish;
	$n++;
	@msg = ();
};
while (my $l = <$fh>) {
	if ($l =~ /^From /) {	# mboxrd: body lines are quoted
		$one->();
		last if $limit && $n >= $limit;
		next;
	}
	$l =~ s/^>(>*From )/$1/;
	push @msg, $l;
}
$one->() unless $limit && $n >= $limit;
printf "%d %d %.6f\n", $n, $relays, time - $t0;
