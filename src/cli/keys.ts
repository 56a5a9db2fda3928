// `npm run keys -- create --scope write --name "Dawn newsroom"` | `list` | `revoke <id>`.
// Works while the gateway is serving: it then goes through the gateway (see local-gateway.ts).
import { parseArgs } from 'node:util';
import { decodeGlobalID, encodeGlobalID } from '@pothos/plugin-relay';
import { createApiKey, revokeApiKey } from '../auth/keys.js';
import { loadConfig } from '../config.js';
import { ApiScope } from '../generated/prisma/enums.js';
import { localGraphQL, openDatabaseOrGateway } from './local-gateway.js';

const USAGE = `Usage:
  npm run keys -- create --name "<who uses it>" --scope read|write|admin [--scope ...]
  npm run keys -- list
  npm run keys -- revoke <key id, as listed>`;

function scopesFrom(values: string[] | undefined): ApiScope[] {
  const scopes = (values ?? []).map((value) => value.toUpperCase());
  const unknown = scopes.filter((scope) => !(scope in ApiScope));
  if (unknown.length || scopes.length === 0) throw new Error(`--scope must be read, write or admin (got ${unknown.join(', ') || 'none'})\n${USAGE}`);
  return scopes as ApiScope[];
}

async function main() {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, scope: { type: 'string', multiple: true } },
  });
  const [command, keyId] = positionals;
  if (!['create', 'list', 'revoke'].includes(command ?? '')) throw new Error(USAGE);
  const scopes = command === 'create' ? scopesFrom(values.scope) : [];
  const route = await openDatabaseOrGateway(loadConfig());
  try {
    if (command === 'create') {
      const name = values.name ?? '';
      const created =
        route.kind === 'database'
          ? await createApiKey(route.db.prisma, name, scopes).then(({ key, secret }) => ({ id: encodeGlobalID('ApiKey', key.id), secret }))
          : await localGraphQL<{ createApiKey: { apiKey: { id: string }; secret: string } }>(
              route.gateway,
              'mutation($name: String!, $scopes: [ApiScope!]!) { createApiKey(name: $name, scopes: $scopes) { apiKey { id } secret } }',
              { name, scopes },
            ).then(({ createApiKey: made }) => ({ id: made.apiKey.id, secret: made.secret }));
      console.log(`Created key ${created.id} "${name}" with ${scopes.join(', ')}.`);
      console.log(`Secret (shown once, store it now): ${created.secret}`);
    } else if (command === 'list') {
      const keys =
        route.kind === 'database'
          ? (await route.db.prisma.apiKey.findMany({ orderBy: { id: 'asc' } })).map((key) => ({
              ...key,
              id: encodeGlobalID('ApiKey', key.id),
              revokedAt: key.revokedAt?.toISOString() ?? null,
            }))
          : (
              await localGraphQL<{ apiKeys: { id: string; name: string; prefix: string; scopes: string[]; revokedAt: string | null }[] }>(
                route.gateway,
                '{ apiKeys { id name prefix scopes revokedAt } }',
                {},
              )
            ).apiKeys;
      for (const key of keys) {
        console.log(`${key.id}\t${key.prefix}…\t${key.scopes.join(',')}\t${key.revokedAt ? `revoked ${key.revokedAt}` : 'active'}\t${key.name}`);
      }
    } else {
      if (!keyId) throw new Error(USAGE);
      if (route.kind === 'database') await revokeApiKey(route.db.prisma, Number(decodeGlobalID(keyId).id));
      else await localGraphQL(route.gateway, 'mutation($id: ID!) { revokeApiKey(id: $id) { id } }', { id: keyId });
      console.log(`Revoked key ${keyId}`);
    }
  } finally {
    if (route.kind === 'database') await route.db.close();
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
