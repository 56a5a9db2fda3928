// API keys for partners, managed by admins (or by `npm run keys`).
import { ApiScope } from '../generated/prisma/enums.js';
import { GraphQLError } from 'graphql';
import { createApiKey, MAX_KEY_NAME, revokeApiKey } from '../auth/keys.js';
import { InvalidInputError } from '../rules/errors.js';
import { builder } from './builder.js';
import { databaseId, describedEnum } from './common.js';

const ApiScopeEnum = describedEnum('ApiScope', 'What an API key may do.', ApiScope, {
  READ: 'Read everything (needed only when the gateway does not allow anonymous reads).',
  WRITE: 'Record, revise and retract claims; import. Includes READ.',
  ADMIN: 'Manage API keys and read the full audit trail. Includes WRITE and READ.',
});

export const ApiKey = builder.prismaNode('ApiKey', {
  // `node(id:)` answers null for an id that no longer exists (merged away, deleted).
  nullable: true,
  description: "A partner's API key. The secret itself is shown once, when the key is created, and never stored.",
  id: { field: 'id' },
  authScopes: { admin: true },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'Who or what uses the key.' }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the key, to recognise it.' }),
    scopes: t.field({ type: [ApiScopeEnum], description: 'What the key may do.', resolve: (key) => key.scopes }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true, description: 'When it was revoked; null while it works.' }),
  }),
});

const CreatedApiKey = builder.objectRef<{ key: { id: number }; secret: string }>('CreatedApiKey').implement({
  description: 'A new key and its secret. Store the secret now: it cannot be shown again.',
  fields: (t) => ({
    apiKey: t.prismaField({
      type: 'ApiKey',
      description: 'The key.',
      resolve: (query, created, _args, ctx) => ctx.prisma.apiKey.findUniqueOrThrow({ ...query, where: { id: created.key.id } }),
    }),
    secret: t.exposeString('secret', { description: 'Send it as `Authorization: Bearer <secret>`.' }),
  }),
});

builder.queryFields((t) => ({
  apiKeys: t.prismaField({
    type: ['ApiKey'],
    description: 'Every API key, newest first (admins only).',
    authScopes: { admin: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.apiKey.findMany({ ...query, orderBy: { id: 'desc' } }),
  }),
}));

builder.mutationFields((t) => ({
  createApiKey: t.field({
    type: CreatedApiKey,
    description: 'Creates an API key (admins only). The secret is in the answer, and nowhere else.',
    authScopes: { admin: true },
    args: {
      name: t.arg.string({ required: true, description: `Who or what will use it ("Dawn newsroom importer"): 1 to ${MAX_KEY_NAME} characters.` }),
      scopes: t.arg({ type: [ApiScopeEnum], required: true, description: 'What it may do: at least one scope.' }),
      replaces: t.arg.globalID({
        for: [ApiKey],
        required: false,
        description:
          'When rotating keys: the key this one replaces. The new key shares its external IDs and idempotency keys (revoke the old one once the new one works).',
      }),
    },
    resolve: (_root, args, ctx) =>
      createApiKey(ctx.prisma, args.name, args.scopes, { replaces: args.replaces ? databaseId(args.replaces) : null }).catch((error: unknown) => {
        if (!(error instanceof InvalidInputError)) throw error;
        const [issue] = error.issues;
        throw new GraphQLError(`Argument ${issue!.field}: ${issue!.rule}`, { extensions: { code: 'BAD_USER_INPUT', argument: issue!.field } });
      }),
  }),
  revokeApiKey: t.prismaField({
    type: 'ApiKey',
    description: 'Revokes an API key (admins only): it stops working at once.',
    authScopes: { admin: true },
    args: { id: t.arg.globalID({ for: [ApiKey], required: true, description: 'The key to revoke.' }) },
    resolve: async (query, _root, args, ctx) => {
      const { id } = await revokeApiKey(ctx.prisma, databaseId(args.id));
      return ctx.prisma.apiKey.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
