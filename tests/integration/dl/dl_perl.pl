# SPDX-License-Identifier: MIT
# dl_perl.pl: run by run_system.py as `perl -MPOSIX -MList::Util -e <this
# text>`. POSIX and List::Util are XS modules that DynaLoader loads with
# dlopen and binds with dlsym; the script uses both and prints results that
# do not depend on the loader (run_system.py proves which loader ran it from
# the process's maps at exit, through ../runner.py). Would catch dlopen/dlsym
# failures or wrong bindings in perl's XS loading under the tested loader.
use strict;
use warnings;

print "xs: ", join(" ", map { s{.*/}{}r } @DynaLoader::dl_shared_objects), "\n";
print "posix: ", POSIX::floor(-2.5), " ", POSIX::ceil(2.1), " ",
	POSIX::strftime("%Y-%m-%d %H:%M:%S", gmtime(981173106)), " ",
	POSIX::fmod(10, 3), " ", scalar(POSIX::strtol("ff", 16)), "\n";
print "list: ", List::Util::sum(1 .. 100), " ", List::Util::max(3, 9, 2),
	" ", List::Util::first(sub { $_ > 3 }, 1 .. 10), " ",
	join(",", List::Util::uniq(1, 1, 2, 3, 3)), "\n";
printf "%.12f\n", atan2(1, 1) * 4;
