# SPDX-License-Identifier: MIT
# dl_perl.pl: run by dl_progs.sh as `perl -MPOSIX -MList::Util -e <this
# text>`. POSIX and List::Util are XS modules that DynaLoader loads with
# dlopen and binds with dlsym; the script uses both and prints results that
# do not depend on the loader. The first line names the loaders mapped in
# this process, the proof dl_progs.sh checks. Would catch dlopen/dlsym
# failures or wrong bindings in perl's XS loading under the tested loader.
use strict;
use warnings;

my %loaders;
open(my $maps, "<", "/proc/self/maps") or die "maps: $!";
while (<$maps>) {
	my @f = split;
	next if @f < 6;
	(my $base = $f[5]) =~ s{.*/}{};
	$loaders{$base} = 1 if $base eq "myld.so" || $base =~ /^ld-linux/;
}
close($maps);
print "loader=", join(",", sort keys %loaders), "\n";
print "xs: ", join(" ", map { s{.*/}{}r } @DynaLoader::dl_shared_objects), "\n";
print "posix: ", POSIX::floor(-2.5), " ", POSIX::ceil(2.1), " ",
	POSIX::strftime("%Y-%m-%d %H:%M:%S", gmtime(981173106)), " ",
	POSIX::fmod(10, 3), " ", scalar(POSIX::strtol("ff", 16)), "\n";
print "list: ", List::Util::sum(1 .. 100), " ", List::Util::max(3, 9, 2),
	" ", List::Util::first(sub { $_ > 3 }, 1 .. 10), " ",
	join(",", List::Util::uniq(1, 1, 2, 3, 3)), "\n";
printf "%.12f\n", atan2(1, 1) * 4;
