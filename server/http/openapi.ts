// The OpenAPI 3.1 document of the JSON API, generated from the zod schemas that validate the requests
// (z.toJSONSchema, JSON Schema 2020-12 as OpenAPI 3.1 uses), so the description cannot drift from
// what the server accepts.
import { z } from 'zod';
import { ACTIONS } from '../../workflows/messages';
import { ACTION_LABELS } from '../i18n/messages';
import { draftersBodySchema, listQuerySchema, proposeSchema, publicityEventBodySchema, signInSchema } from './schemas';
import { actionSchemas } from '../../workflows/payloads';

type JsonSchema = Record<string, unknown>;

function schemaOf(s: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  delete out.$schema;
  return out;
}

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['code', 'message', 'message_zh', 'message_en'],
  properties: {
    code: { type: 'string', examples: ['VALIDATION_FAILED', 'FORBIDDEN', 'STAGE_CONFLICT'] },
    message: { type: 'string', description: 'Chinese / English' },
    message_zh: { type: 'string' },
    message_en: { type: 'string' },
    details: { description: 'For VALIDATION_FAILED: [{path, message_zh, message_en}]' },
  },
};

const errorResponses = (...statuses: number[]): Record<string, unknown> =>
  Object.fromEntries(
    statuses.map((s) => [String(s), { description: ERROR_TEXT[s] ?? 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]),
  );

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input (malformed JSON, missing or unknown fields, wrong types)',
  401: 'Not signed in, or wrong credentials',
  403: 'Not your role, or a missing/invalid CSRF token',
  404: 'No such standard or event',
  409: 'Not possible in the current stage, or a duplicate number',
  413: 'Body larger than the limit',
  415: 'Body is not application/json',
  429: 'Too many sign-in attempts',
};

const json = (schema: JsonSchema, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const body = (schema: JsonSchema) => ({ required: true, content: { 'application/json': { schema } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$' } };
const csrfHeader = { name: 'X-CSRF-Token', in: 'header', required: true, schema: { type: 'string' }, description: 'From POST /api/session or GET /api/me' };
const anyObject: JsonSchema = { type: 'object' };

function queryParameters(s: z.ZodObject): unknown[] {
  const js = schemaOf(s) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, schema]) => ({ name, in: 'query', required: (js.required ?? []).includes(name), schema }));
}

let cached: Record<string, unknown> | undefined;

export function buildOpenApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const paths: Record<string, Record<string, unknown>> = {
    '/api/session': {
      post: {
        summary: 'Sign in (登录)',
        description: 'Starts a session (cookie `tongbiao.sid`) and returns the CSRF token every later unsafe request must send as X-CSRF-Token.',
        requestBody: body(schemaOf(signInSchema)),
        responses: { '200': json(anyObject), ...errorResponses(400, 401, 413, 415, 429) },
      },
      delete: { summary: 'Sign out (退出)', parameters: [csrfHeader], responses: { '204': { description: 'Signed out' }, ...errorResponses(403) } },
    },
    '/api/me': { get: { summary: 'The signed-in user and a CSRF token', responses: { '200': json(anyObject), ...errorResponses(401) } } },
    '/api/notifications': { get: { summary: 'The signed-in user\'s notifications, newest first (?before=<next>&limit=1..100&lang=zh|en); `next` is the cursor of the following page', responses: { '200': json(anyObject), ...errorResponses(401) } } },
    '/api/standards': {
      get: {
        summary: 'List standards from the projection (stage, lead province, title words, paging)',
        parameters: queryParameters(listQuerySchema),
        responses: { '200': json(anyObject), ...errorResponses(400, 401) },
      },
      post: {
        summary: 'Propose a standard (立项); the proposing eco-environment department becomes the lead',
        parameters: [csrfHeader],
        requestBody: body(schemaOf(proposeSchema)),
        responses: { '201': json(anyObject, 'The stored record'), ...errorResponses(400, 401, 403, 413, 415) },
      },
    },
    '/api/standards/{id}': {
      get: { summary: 'A standard, its live lifecycle state, its drafting group and the actions the caller may take now', parameters: [idParam], responses: { '200': json(anyObject), ...errorResponses(400, 401, 404) } },
    },
    '/api/standards/{id}/state': {
      get: { summary: 'The live lifecycle state (workflow query)', parameters: [idParam], responses: { '200': json(anyObject), ...errorResponses(400, 401, 404) } },
    },
    '/api/standards/{id}/timeline': {
      get: { summary: 'The audit log: who, when, role, from → to, reason', parameters: [idParam], responses: { '200': json(anyObject), ...errorResponses(400, 401, 404) } },
    },
    '/api/standards/{id}/drafters': {
      post: {
        summary: 'Add accounts to the drafting group of the standard (lead department, executive committee, admin)',
        parameters: [idParam, csrfHeader],
        requestBody: body(schemaOf(draftersBodySchema)),
        responses: { '200': json(anyObject), ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
    '/api/standards/{id}/publicity-events': {
      get: { summary: 'Publicity events of the standard', parameters: [idParam], responses: { '200': json(anyObject), ...errorResponses(400, 401, 404) } },
      post: {
        summary: 'Record a publicity event (宣贯): stored, then recorded in the lifecycle',
        parameters: [idParam, csrfHeader],
        requestBody: body(schemaOf(publicityEventBodySchema)),
        responses: { '201': json(anyObject), ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    },
  };
  for (const action of ACTIONS) {
    paths[`/api/standards/{id}/actions/${action}`] = {
      post: {
        summary: `${ACTION_LABELS[action].zh} — ${ACTION_LABELS[action].en}`,
        parameters: [idParam, csrfHeader],
        requestBody: body(schemaOf(actionSchemas[action])),
        responses: { '200': json(anyObject, 'The new lifecycle state'), ...errorResponses(400, 401, 403, 404, 409, 413, 415) },
      },
    };
  }
  cached = {
    openapi: '3.1.0',
    info: { title: 'Tongbiao 统标 API', version: '0.1.0', description: 'Joint environmental standards of Shanghai, Jiangsu and Zhejiang: lifecycle actions and lists.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'tongbiao.sid' } },
    },
    security: [{ session: [] }],
    paths,
  };
  return cached;
}
