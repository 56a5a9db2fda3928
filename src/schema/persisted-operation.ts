// Registering operations for persisted-operation clients and the PERSISTED_ONLY allow-list.
import { type GraphQLError, parse, validate } from 'graphql';
import { registerOperation } from '../persisted/operations.js';
import { InvalidInputError } from '../rules/errors.js';
import { builder } from './builder.js';
import { WRITE_ERRORS } from './write-errors.js';

export const PersistedOperation = builder.prismaObject('PersistedOperation', {
  description:
    'A registered GraphQL operation: send its `hash` instead of the document, as `documentId` or as `extensions: { persistedQuery: { version: 1, sha256Hash } }`.',
  fields: (t) => ({
    hash: t.exposeString('hash', { description: 'SHA-256 of the document text, hex: what clients send.' }),
    name: t.exposeString('name', { description: 'What it is for, as the registering partner named it.' }),
    document: t.exposeString('document', { description: 'The GraphQL document itself.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was registered.' }),
  }),
});

const RegisterOperationPayload = builder
  .objectRef<{ operation: { id: number; hash: string }; alreadyRegistered: boolean }>('RegisterOperationPayload')
  .implement({
    description: 'A registered operation.',
    fields: (t) => ({
      hash: t.string({
        description:
          'Send this as `documentId` (optionally `sha256:`-prefixed) or as `extensions.persistedQuery.sha256Hash` (with `version: 1`) instead of the document.',
        resolve: (p) => p.operation.hash,
      }),
      alreadyRegistered: t.exposeBoolean('alreadyRegistered', {
        description: 'True when the same document had been registered before (the hash is the same).',
      }),
      operation: t.prismaField({
        type: 'PersistedOperation',
        description: 'The stored operation.',
        resolve: (query, p, _args, ctx) => ctx.prisma.persistedOperation.findUniqueOrThrow({ ...query, where: { id: p.operation.id } }),
      }),
    }),
  });

async function checkDocument(document: string): Promise<void> {
  let parsed;
  try {
    parsed = parse(document);
  } catch (error) {
    throw new InvalidInputError([{ field: 'document', rule: `is not valid GraphQL: ${(error as GraphQLError).message}`, code: 'INVALID_TYPE' }]);
  }
  // index.ts builds the schema after importing this module: take it at request time.
  const { schema } = await import('./index.js');
  const errors = validate(schema, parsed);
  if (errors.length > 0) throw new InvalidInputError(errors.map((e) => ({ field: 'document', rule: e.message, code: 'NOT_ALLOWED' as const })));
}

builder.mutationFields((t) => ({
  registerOperation: t.field({
    type: RegisterOperationPayload,
    description:
      'Registers a GraphQL operation (checked against the schema) and returns its hash, for persisted-operation clients and for gateways that run only registered operations. Needs a WRITE or ADMIN key.',
    errors: { types: WRITE_ERRORS, directResult: true },
    args: {
      document: t.arg.string({ required: true, description: 'The GraphQL document, exactly as the client will hash it.' }),
      name: t.arg.string({ required: true, description: 'Who uses it for what ("Dawn dashboard: latest tolls").' }),
    },
    resolve: async (_root, args, ctx) => {
      await checkDocument(args.document);
      return registerOperation(ctx.prisma, { document: args.document, name: args.name, apiKeyId: ctx.caller?.apiKeyId ?? null });
    },
  }),
}));
