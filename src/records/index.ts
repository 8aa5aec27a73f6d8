/** The discussion records' domain: fields, the policy, scopes, the status matrix, formatters and exports. */
export * from './fields.ts';
export * from './policy.ts';
export * from './scope.ts';
export * from './status.ts';
export * from './format.ts';
export * from './csv.ts';
export * from './cell-text.ts';
