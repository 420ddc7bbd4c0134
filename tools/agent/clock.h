/* SPDX-License-Identifier: GPL-2.0 */
/* The two clocks the agent reads: monotonic for its timers, wall for
 * what it reports (status, lease expiry), both in seconds.
 */
#ifndef OVL_AGENT_CLOCK_H
#define OVL_AGENT_CLOCK_H

double now_mono(void);
double now_wall(void);

#endif
