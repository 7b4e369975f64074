import { z } from 'zod';
import { FEEDBACK_COLUMNS } from '../feedback/feedback-columns';

const headerName = z.string().trim().min(1);

/**
 * A client's own header names for the feedback columns. Every column must end up with a header name
 * of its own: `{ "recipientListId": "mailingId" }` would read the mailing id as the list id and
 * apply an unsubscribe to another list.
 */
export const feedbackColumnsSchema = z
  .strictObject({
    recipientId: headerName.optional(),
    mailingId: headerName.optional(),
    timestamp: headerName.optional(),
    recipientListId: headerName.optional(),
    category: headerName.optional(),
  })
  .superRefine((mapping, ctx) => {
    const names = FEEDBACK_COLUMNS.map((column) => mapping[column] ?? column);
    names.forEach((name, i) => {
      const first = names.indexOf(name);
      if (first !== i)
        ctx.addIssue({
          code: 'custom',
          path: [FEEDBACK_COLUMNS[i]!],
          message: `header "${name}" is already the ${FEEDBACK_COLUMNS[first]} column; each column needs a header of its own`,
        });
    });
  });
