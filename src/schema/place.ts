// Places: countries, provinces, districts, cities and sites, nested in a tree.
import { PlaceKind } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { boundedTotalCount } from './counts.js';
import type { Prisma } from '../generated/prisma/client.js';
import { databaseId, describedEnum, oncePerArgs } from './common.js';
import { withDescendants } from '../claims/trees.js';
import { incidentsPage } from './keyset.js';
import { INCLUDE_RETRACTED, visibleFigureWhere } from '../claims/filters.js';

export const PlaceKindEnum = describedEnum('PlaceKind', 'What kind of place this is.', PlaceKind, {
  COUNTRY: 'A country (Pakistan).',
  PROVINCE: 'A province or state (Balochistan).',
  DISTRICT: 'A district or county (Noshki).',
  CITY: 'A city or town (Quetta, Gwadar).',
  AREA: 'An area without administrative status (a neighbourhood, a stretch of road).',
  SITE: 'A single site (a camp, a building, a checkpoint).',
});

export const Place = builder.prismaNode('Place', {
  // `node(id:)` answers null for an id that no longer exists (merged away, deleted).
  nullable: true,
  description: 'A place where incidents happen or that a role is responsible for. Places nest: a site in a city in a province in a country.',
  id: { field: 'id' },
  fields: (t) => ({
    name: t.exposeString('name', { description: 'The name used in reporting.' }),
    aliases: t.exposeStringList('aliases', { description: 'Other names and spellings.' }),
    kind: t.expose('kind', { type: PlaceKindEnum, description: 'Country, province, district, city, area or site.' }),
    description: t.exposeString('description', {
      nullable: true,
      description: 'How reporting describes the place ("port city", "provincial capital").',
    }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: 'Latitude in degrees (WGS 84), when known.' }),
    longitude: t.exposeFloat('longitude', { nullable: true, description: 'Longitude in degrees (WGS 84), when known.' }),
    parent: t.relation('parent', { nullable: true, description: 'The place this one lies in; null for a country.' }),
    children: t.relation('children', {
      description: 'Places directly inside this one, by name.',
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    organisations: t.relation('organisations', {
      description: 'Organisations that belong to this country, by name.',
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    incidents: t.prismaConnection(
      {
        type: 'Incident',
        cursor: 'id',
        description: 'Incidents at this place, newest first. Includes incidents at places inside it unless `includeSubPlaces` is false.',
        args: {
          includeSubPlaces: t.arg.boolean({
            defaultValue: true,
            description: 'Also list incidents at places inside this one (Gwadar for Balochistan).',
          }),
        },
        resolve: async (query, place, args, ctx) => incidentsPage(query, ctx, await incidentsAtPlaceWhere(ctx.prisma, place.id, args.includeSubPlaces ?? true)),
        totalCount: boundedTotalCount(async (place: { id: number }, args: { includeSubPlaces?: boolean | null }, ctx, take) =>
          ctx.prisma.incident.count({ where: await incidentsAtPlaceWhere(ctx.prisma, place.id, args.includeSubPlaces ?? true), take }),
        ),
      },
      { description: 'A page of incidents.' },
      { description: 'An incident in the list.' },
    ),
    figures: t.relatedConnection('figures', {
      cursor: 'id',
      totalCount: true,
      description: 'Figures placed exactly here (not at places inside it), newest first. Retracted figures are left out unless asked for.',
      args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
      query: (args) => ({ where: visibleFigureWhere({ includeRetracted: args.includeRetracted }), orderBy: { id: 'desc' } }),
    }),
  }),
});

async function incidentsAtPlaceWhere(prisma: Parameters<typeof withDescendants>[0], placeId: number, deep: boolean) {
  const placeIds = deep ? await withDescendants(prisma, 'place', [placeId]) : [placeId];
  return { places: { some: { placeId: { in: placeIds } } } };
}

const PlaceFilter = builder.inputType('PlaceFilter', {
  description: 'Narrows a list of places.',
  fields: (t) => ({
    kinds: t.field({ type: [PlaceKindEnum], required: false, description: 'Only these kinds of place.' }),
    within: t.globalID({ for: [Place], required: false, description: 'Only places inside this one (at any depth), not the place itself.' }),
  }),
});

const placesWhere = oncePerArgs(async (args: { filter?: typeof PlaceFilter.$inferInput | null }, ctx): Promise<Prisma.PlaceWhereInput> => {
  const where: Prisma.PlaceWhereInput[] = [];
  if (args.filter?.kinds) where.push({ kind: { in: args.filter.kinds } });
  if (args.filter?.within) {
    const rootId = databaseId(args.filter.within);
    const ids = await withDescendants(ctx.prisma, 'place', [rootId]);
    where.push({ id: { in: ids.filter((id) => id !== rootId) } });
  }
  return { AND: where };
});

builder.queryFields((t) => ({
  places: t.prismaConnection(
    {
      type: 'Place',
      cursor: 'id',
      description: 'Places, in the order they were recorded.',
      args: { filter: t.arg({ type: PlaceFilter, required: false, description: 'Conditions the listed items must meet; leave out to list all.' }) },
      resolve: async (query, _root, args, ctx) => ctx.prisma.place.findMany({ ...query, where: await placesWhere(args, ctx), orderBy: { id: 'asc' } }),
      totalCount: boundedTotalCount(async (_root, args: Parameters<typeof placesWhere>[0], ctx, take) =>
        ctx.prisma.place.count({ where: await placesWhere(args, ctx), take }),
      ),
    },
    { description: 'A page of places.' },
    { description: 'A place in the list.' },
  ),
}));
