import { relative, isAbsolute } from 'node:path';

// Paths that two clients must not share, compared after relative paths were resolved against the
// configuration file (`./drop`, `drop/`, `x/../drop` and `/etc/cs/drop` are one folder).

interface FoldersConfig {
  clients: ReadonlyArray<{ key: string; feedbackFolder?: string | undefined }>;
}

/** Whether `inner` is `outer` or lies inside it. */
function within(inner: string, outer: string): boolean {
  const path = relative(outer, inner);
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

/**
 * Two clients whose feedback folders are one folder (or one inside the other): the first client's run
 * takes every bounce and unsubscribe file dropped there as its own, judges it against its own sent
 * ledger and moves it to processed/ or quarantine/; the client whose export job dropped it never reads
 * it, so its opt-outs reach neither its suppression ledger nor the CRM. Refused, naming both settings.
 */
export function sharedFeedbackFolderProblems(config: FoldersConfig): string[] {
  const problems: string[] = [];
  config.clients.forEach((client, c) => {
    const folder = client.feedbackFolder;
    if (folder === undefined) return;
    const earlier = config.clients.findIndex(
      (other, o) =>
        o < c && other.feedbackFolder !== undefined && (within(folder, other.feedbackFolder) || within(other.feedbackFolder, folder)),
    );
    if (earlier === -1) return;
    const other = config.clients[earlier]!;
    problems.push(
      `clients.${c}.feedbackFolder: client ${client.key}'s feedback folder is client ${other.key}'s (clients.${earlier}.feedbackFolder) or lies inside or around it: ` +
        `one client's run would take the other's bounce and unsubscribe files as its own and move them away, so the other's opt-outs would be read by nobody; give each client a folder of its own`,
    );
  });
  return problems;
}
