/*
 * tests/tool_bigstate.c - the monitor loading a state far bigger than its
 * limits: --max-hosts applies while loading, what is left out is counted,
 * and the peak resident set stays within a bound that does not grow with
 * the file (measured with getrusage, never a time).
 *
 *   tool_bigstate FILE HOSTS MAX_HOSTS LIMIT_MB
 *
 * Writes FILE, a state of HOSTS hosts (each with an address) and as many
 * violations, in a child process (so its memory is not counted), then
 * loads it with --max-hosts MAX_HOSTS and fails (exit 1) unless exactly
 * MAX_HOSTS hosts and violation keys are known, HOSTS - MAX_HOSTS of each
 * were reported dropped, and the peak RSS stays under LIMIT_MB. Before the
 * bounded loader a 200,000-host state (about 110 MB) took over 1 GB.
 * LIMIT_MB 0 only writes FILE (a big state for run-monitor-live.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "monitor/monitor.h"

static int write_state(const char *path, unsigned long n)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs("{\"tool\": {\"name\": \"segscan\", \"version\": \"0.1.0\"},\n"
	      "\"scan\": {\"mode\": \"monitor\", \"started\": \"2024-03-05T08:00:00.000Z\", "
	      "\"ended\": null, \"inputs\": [\"live:eth0\"], \"packets\": 1, \"policy\": null},\n"
	      "\"hosts\": [\n",
	      f);
	for (unsigned long i = 0; i < n; i++)
		fprintf(
		    f,
		    "%s{\"mac\": \"02:00:%02lx:%02lx:%02lx:%02lx\", \"ips\": [\"10.%lu.%lu.%lu\"], "
		    "\"vlan\": null, \"vendor\": null, \"hostname\": \"host-%lu\", \"zone\": null, "
		    "\"asset\": null, \"managed\": null, \"device_class\": \"unknown\", \"os\": "
		    "null, "
		    "\"protocols\": [], \"services\": [], \"first_seen\": "
		    "\"2024-03-05T08:00:00.000Z\", \"last_seen\": \"2024-03-05T09:00:00.000Z\", "
		    "\"packets\": 10, \"bytes\": 600, \"evidence\": []}\n",
		    i ? "," : "", (i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255,
		    (i >> 16) & 255, (i >> 8) & 255, i & 255, i);
	fputs("],\n\"flows\": [],\n\"violations\": [\n", f);
	for (unsigned long i = 0; i < n; i++)
		fprintf(
		    f,
		    "%s{\"type\": \"unknown_device\", \"severity\": \"medium\", \"src\": "
		    "\"10.%lu.%lu.%lu\", \"dst\": null, \"proto\": null, \"dport\": null, \"mac\": "
		    "\"02:00:%02lx:%02lx:%02lx:%02lx\", \"rule\": null, \"count\": 1, "
		    "\"first_seen\": "
		    "null, \"last_seen\": null, \"message\": \"Unknown device\", \"fix\": "
		    "\"Register it\"}\n",
		    i ? "," : "", (i >> 16) & 255, (i >> 8) & 255, i & 255, (i >> 24) & 255,
		    (i >> 16) & 255, (i >> 8) & 255, i & 255);
	fputs(
	    "],\n\"monitor\": {\"format\": 1, \"gone_hosts\": [], \"pending_violations\": []}\n}\n",
	    f);
	return fclose(f);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: tool_bigstate FILE HOSTS MAX_HOSTS LIMIT_MB\n");
		return 2;
	}
	const char *path = argv[1];
	unsigned long n = strtoul(argv[2], NULL, 10);
	size_t max_hosts = strtoul(argv[3], NULL, 10);
	long limit_mb = strtol(argv[4], NULL, 10);
	pid_t pid = fork();
	if (pid == 0)
		_exit(write_state(path, n) == 0 ? 0 : 1);
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		fprintf(stderr, "cannot write %s\n", path);
		return 2;
	}
	if (limit_mb == 0)
		return 0;
	struct mon_opts mo = {.max_hosts = max_hosts};
	struct mon_state *ms = mon_new(&mo);
	struct mon_load_dropped d;
	char err[1024];
	int rc = mon_load_bounded(ms, path, &d, err, sizeof(err));
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	long mb = ru.ru_maxrss / 1024;
	unlink(path);
	int ok = rc == 0 && mon_known_hosts(ms) == max_hosts &&
	         mon_known_violations(ms) == max_hosts && d.hosts == n - max_hosts &&
	         d.violations == n - max_hosts && mb <= limit_mb;
	printf("%s bigstate: %lu hosts and violations, --max-hosts %zu: kept %zu and %zu, dropped "
	       "%zu and %zu; peak RSS %ld MB (limit %ld MB)%s%s\n",
	       ok ? "PASS" : "FAIL", n, max_hosts, mon_known_hosts(ms), mon_known_violations(ms),
	       d.hosts, d.violations, mb, limit_mb, rc ? ": " : "", rc ? err : "");
	mon_free(ms);
	return ok ? 0 : 1;
}
