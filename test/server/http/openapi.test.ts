// The OpenAPI document: served by the app, OpenAPI 3.1, and describing exactly the schemas the server
// validates with (every action path present, strict objects, the error shape).
import request from 'supertest';
import { ACTIONS } from '../../../workflows/messages';
import { startAppHarness, type AppHarness } from './app-harness';

let h: AppHarness;
beforeAll(async () => {
  h = await startAppHarness('openapi');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } }; responses: Record<string, unknown> }>>;
}

describe('GET /api/openapi.json', () => {
  let doc: Doc;
  beforeAll(async () => {
    doc = (await request(h.app).get('/api/openapi.json').expect(200).expect('content-type', /json/)).body;
  });

  it('is an OpenAPI 3.1 document served without signing in', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('describes every lifecycle action with its own strict body schema', () => {
    for (const a of ACTIONS) {
      const op = doc.paths[`/api/standards/{id}/actions/${a}`]?.post;
      expect(op).toBeDefined();
      expect(op.requestBody!.content['application/json'].schema).toMatchObject({ type: 'object', additionalProperties: false });
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '404', '409']));
    }
    const decide = doc.paths['/api/standards/{id}/actions/decideApproval'].post.requestBody!.content['application/json'].schema as {
      properties: Record<string, { enum?: string[]; pattern?: string }>;
      required: string[];
    };
    expect(decide.properties.province.enum).toEqual(['SH', 'JS', 'ZJ']);
    expect(decide.required).toEqual(expect.arrayContaining(['province', 'decision']));
  });

  it('describes the proposal with its limits, and the list with its query parameters', () => {
    const propose = doc.paths['/api/standards'].post.requestBody!.content['application/json'].schema as { properties: Record<string, { maxLength?: number }> };
    expect(propose.properties.titleZh.maxLength).toBe(200);
    const list = doc.paths['/api/standards'].get as unknown as { parameters: Array<{ name: string; in: string }> };
    expect(list.parameters.map((p) => p.name)).toEqual(expect.arrayContaining(['stage', 'province', 'q', 'page', 'pageSize']));
  });
});
