/** A failure whose message says all the user needs (bad flag, missing redis-server…): printed as one line, without a stack. */
export class UserError extends Error {}
