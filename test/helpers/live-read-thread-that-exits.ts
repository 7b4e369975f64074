// A stand-in for src/plan/live-read-thread.ts that dies without an answer (read-live-list-in-thread tests).
process.exit(3);
