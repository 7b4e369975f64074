/**
 * Where "now" comes from: the wall clock in production, a fixed or stepped time in tests. Activities
 * read the one in their dependencies (`deps.now`); lower modules take one as an option and fall back
 * to {@link systemClock}.
 */
export type Clock = () => Date;

/** The wall clock. */
export const systemClock: Clock = () => new Date();
