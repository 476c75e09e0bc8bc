/*
 * policy/policy-summary.c - the one-screen summary `segscan policy check`
 * prints, so a user can see the policy was read the way they meant it.
 */
#include <stdio.h>
#include <string.h>

#include "policy/policy-internal.h"

void pol_print_summary(const struct policy *p, FILE *out)
{
	if (!p || !out)
		return;
	fprintf(out, "policy:  %s (sha256 %.16s...)\n", p->path, p->sha256);
	if (p->site)
		fprintf(out, "site:    %s\n", p->site);
	fprintf(out, "zones:   %zu\n", p->n_zones);
	size_t w = 4;
	for (size_t i = 0; i < p->n_zones; i++)
		if (strlen(p->zones[i].name) > w)
			w = strlen(p->zones[i].name);
	for (size_t i = 0; i < p->n_zones; i++) {
		const struct pol_zone *z = &p->zones[i];
		fprintf(out, "  %-*s  %-10s  probe %-12s  ", (int)w, z->name,
		        pol_zone_kind_name(z->kind), z->probe_allowed ? "allow" : "passive-only");
		for (size_t k = 0; k < z->n_networks; k++) {
			char buf[SS_IP_STRLEN + 4];
			ss_prefix_format(&z->networks[k], buf);
			fprintf(out, "%s%s", k ? ", " : "", buf);
		}
		if (z->n_vlans) {
			fprintf(out, "  vlan ");
			for (size_t k = 0; k < z->n_vlans; k++)
				fprintf(out, "%s%d", k ? "," : "", z->vlans[k]);
		}
		if (z->owner)
			fprintf(out, "  owner %s", z->owner);
		fputc('\n', out);
	}
	size_t sched = 0;
	for (size_t i = 0; i < p->n_allow; i++)
		sched += p->allow[i].sched.n > 0;
	fprintf(out, "rules:   %zu allow (%zu scheduled), %zu forbid; default %s\n", p->n_allow,
	        sched, p->n_forbid, p->default_allow ? "allow" : "deny");
	size_t eol = 0, dhcp = 0, routers = 0;
	for (size_t i = 0; i < p->n_assets; i++) {
		eol += p->assets[i].eol != 0;
		dhcp += p->assets[i].dhcp_server != 0;
		routers +=
		    p->assets[i].role == POL_ROLE_ROUTER || p->assets[i].role == POL_ROLE_FIREWALL;
	}
	fprintf(out, "assets:  %zu (%zu end-of-life, %zu DHCP servers, %zu routers/firewalls)\n",
	        p->n_assets, eol, dhcp, routers);
}
