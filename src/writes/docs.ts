// Descriptions shared by the inputs of several writes.

export const EXTERNAL_ID =
  'Your own ID for it. Sending a creation again with the same external ID and the same content returns the existing record (`replayed: true`); with other content it is refused with a Conflict naming the fields that differ. Your IDs are yours: another API key may use the same string for something else.';

export const EXPECTED_UPDATED_AT =
  'The `updatedAt` you read. If it changed since (someone else edited it), nothing is written and a Conflict is returned: re-read and try again.';

export const UPDATE_RULE =
  'Fields left out stay as they are; a field sent as null is cleared (where it may be empty). An update that changes nothing writes nothing.';
