// The time. On the local stack it can be moved (LOCAL_CLOCK_OFFSET_MS, set by the stack's setClock), so
// tests and demo data can book a session and then be on its day; in AWS there is no offset.

export function now(): Date {
  const offset = process.env.DYNAMODB_ENDPOINT ? Number(process.env.LOCAL_CLOCK_OFFSET_MS ?? 0) : 0;
  return new Date(Date.now() + (Number.isFinite(offset) ? offset : 0));
}
