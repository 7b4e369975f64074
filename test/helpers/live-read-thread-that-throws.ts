// A stand-in for src/plan/live-read-thread.ts whose top level throws (read-live-list-in-thread tests).
throw new Error('the reading thread broke');
