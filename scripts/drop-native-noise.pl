#!/usr/bin/perl
# Copies standard input to standard error as it arrives, dropping two whole lines that
# TensorFlow's native library prints on every run and that no setting silences: abseil's
# "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR" and
# the INFO line "... mlir_graph_optimization_pass.cc:...] MLIR V1 optimization pass is not enabled"
# (both written straight to file descriptor 2 before TF_CPP_MIN_LOG_LEVEL takes effect).
# Everything else passes through at once, partial lines too, so progress bars that redraw
# with a carriage return keep working. Used by ./parity.
use strict;
use warnings;

my @noise = (
    qr/^WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR\n/,
    qr/^I\d{4} [^\n]*mlir_graph_optimization_pass\.cc:\d+\] MLIR V1 optimization pass is not enabled\n/,
);
$| = 1;
binmode STDIN;
binmode STDERR;
STDERR->autoflush(1);
my $pending = '';        # text held back at a line start, while it may still become a noise line
my $at_line_start = 1;

# Whether a line start without its newline yet may still turn out to be one of the noise lines.
sub may_become_noise {
    my ($text) = @_;
    my $warning = "WARNING: All log messages before absl";
    return 1 if index($warning, $text) == 0 || index($text, $warning) == 0;
    return $text =~ /^I\d{0,4}(?: [^\n]*)?$/;
}

while (1) {
    my $got = sysread(STDIN, my $chunk, 65536);
    last unless $got;
    my $text = $pending . $chunk;
    $pending = '';
    while (length $text) {
        if ($at_line_start) {
            my $dropped = 0;
            for my $re (@noise) {
                if ($text =~ $re) {
                    substr($text, 0, $+[0]) = '';
                    $dropped = 1;
                    last;
                }
            }
            next if $dropped;
            my $nl = index($text, "\n");
            if ($nl < 0 && may_become_noise($text)) {
                $pending = $text;          # wait for the rest of the line
                last;
            }
        }
        my $nl = index($text, "\n");
        if ($nl < 0) {
            print STDERR $text;
            $at_line_start = 0;
            $text = '';
        } else {
            print STDERR substr($text, 0, $nl + 1);
            substr($text, 0, $nl + 1) = '';
            $at_line_start = 1;
        }
    }
}
print STDERR $pending if length $pending;
