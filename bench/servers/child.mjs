// The parent's side channel to a server child: where it listens, how much CPU it has used, when to go away.

/** Tells the parent the port, answers CPU-time queries, and exits when the parent disconnects. */
export function announce(port) {
  process.on('message', (msg) => {
    if (msg === 'cpu') process.send({ cpu: process.cpuUsage() });
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ port });
}
