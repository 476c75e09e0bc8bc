/*
 * reports/report-text.c - the short terminal summary `segscan audit` prints
 * when no -o is given: counts, then one line per host.
 */
#include <string.h>

#include "reports/result.h"

static const char *dash(const char *s) { return s && *s ? s : "-"; }

void res_write_summary(const struct result *r, FILE *out)
{
	size_t routers = 0, unmanaged = 0;
	for (size_t i = 0; i < r->n_hosts; i++) {
		routers += r->hosts[i].router;
		unmanaged += r->hosts[i].managed == 0;
	}
	fprintf(out, "segscan %s: %llu packets", r->tool_version,
	        (unsigned long long)r->stats.packets);
	if (r->stats.truncated)
		fprintf(out, " (%llu truncated, skipped)", (unsigned long long)r->stats.truncated);
	fprintf(out, ", %zu hosts (%zu routers", r->n_hosts, routers);
	if (r->policy_path)
		fprintf(out, ", %zu unregistered", unmanaged);
	fprintf(out, "), %zu flows, %zu violations\n", r->n_flows, r->n_violations);
	if (r->stats.dropped)
		fprintf(out, "warning: %llu packets dropped by the capture\n",
		        (unsigned long long)r->stats.dropped);
	if (r->n_hosts) {
		fprintf(out, "\n%-17s  %-39s  %-5s  %-12s  %-10s  %s\n", "MAC", "ADDRESSES", "VLAN",
		        "ZONE", "CLASS", "VENDOR");
		for (size_t i = 0; i < r->n_hosts; i++) {
			const struct res_host *h = &r->hosts[i];
			char mac[SS_MAC_STRLEN] = "-", addrs[160] = "", vlan[12] = "-";
			if (h->has_mac)
				ss_mac_format(&h->mac, mac);
			size_t used = 0;
			for (size_t k = 0; k < h->n_ips && used + SS_IP_STRLEN + 8 < sizeof(addrs); k++) {
				char a[SS_IP_STRLEN];
				ss_ip_format(&h->ips[k], a);
				if (k == 3) {
					used += (size_t)snprintf(addrs + used, sizeof(addrs) - used, " +%zu",
					                         h->n_ips - 3);
					break;
				}
				used += (size_t)snprintf(addrs + used, sizeof(addrs) - used, "%s%s",
				                         k ? "," : "", a);
			}
			if (h->vlan >= 0)
				snprintf(vlan, sizeof(vlan), "%d", h->vlan);
			fprintf(out, "%-17s  %-39s  %-5s  %-12s  %-10s  %s\n", mac, dash(addrs), vlan,
			        dash(h->zone), dash(h->device_class), dash(h->vendor));
		}
	}
	if (r->n_violations) {
		fprintf(out, "\nVIOLATIONS\n");
		for (size_t i = 0; i < r->n_violations; i++) {
			const struct res_violation *v = &r->violations[i];
			fprintf(out, "  [%s] %s: %s\n", dash(v->severity), dash(v->type),
			        dash(v->message));
			if (v->fix)
				fprintf(out, "      fix: %s\n", v->fix);
		}
	}
}
