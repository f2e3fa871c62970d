import { PackagingError } from '../../src/packaging/packaging-error';
import { fillTemplate } from '../../src/packaging/template';

describe('fillTemplate', () => {
  it('replaces whole-value placeholders with any JSON value, defaults included', () => {
    const template = { id: '{{ID:dev-id}}', bot: { botId: '{{BOT}}' }, domains: '{{DOMAINS}}', keep: 'plain {text}', n: 3 };
    expect(fillTemplate(template, { ID: undefined, BOT: 'b', DOMAINS: ['a.example', 'b.example'] })).toEqual({
      id: 'dev-id',
      bot: { botId: 'b' },
      domains: ['a.example', 'b.example'],
      keep: 'plain {text}',
      n: 3,
    });
    expect(fillTemplate({ id: '{{ID:dev-id}}' }, { ID: 'real' })).toEqual({ id: 'real' });
  });

  it('refuses a placeholder without a value, a value without a placeholder, and a half placeholder', () => {
    let error: unknown;
    try {
      fillTemplate({ a: '{{MISSING}}', b: 'https://{{HOST}}/x' }, { UNUSED: 'x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PackagingError);
    expect((error as PackagingError).problems).toEqual([
      '$.a: no value for {{MISSING}}',
      expect.stringMatching(/^\$\.b: "https:\/\/\{\{HOST\}\}\/x" looks like a placeholder but is not one/),
      'the template has no {{UNUSED}} placeholder',
    ]);
  });
});
