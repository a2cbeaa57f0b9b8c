/*
 * notify.h - tell the service manager how the server is doing (systemd's
 * sd_notify protocol: one datagram to the socket named by $NOTIFY_SOCKET).
 *
 * Written here rather than linked from libsystemd: the protocol is a few
 * lines and stable, and the binary then runs the same with or without
 * systemd.  Without $NOTIFY_SOCKET nothing is sent.
 */
#ifndef YL_NOTIFY_H
#define YL_NOTIFY_H

/*
 * Sends state ("READY=1\nSTATUS=listening…", "STOPPING=1") to the service
 * manager.  Returns 1 when sent, 0 when no manager listens, -1 when sending
 * failed (the server goes on: a missed notice is the manager's timeout).
 */
int service_notify(const char *state);

#endif
