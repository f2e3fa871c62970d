import { createLog } from '../../src/log';
import { errorForLog } from '../../src/log-error';

/** What an operator reads for a failure: the error's class and message, nothing it carries. */
describe('errors in log lines', () => {
  function logged(fields: Record<string, unknown>): Record<string, any> {
    const lines: string[] = [];
    createLog('info', { write: (line: string) => void lines.push(line) }).error(fields, 'failed');
    return JSON.parse(lines[0]!) as Record<string, any>;
  }

  it('keeps the class name errorForLog recorded', () => {
    expect(logged({ err: errorForLog(new TypeError('bad input')) }).err).toEqual({ type: 'TypeError', message: 'bad input' });
    const withStack = logged({ err: errorForLog(new RangeError('too far'), { stack: true }) }).err;
    expect(withStack).toMatchObject({ type: 'RangeError', message: 'too far', stack: expect.stringContaining('RangeError: too far') });
  });

  it('cuts an Error logged directly down to its class and message, leaving out what it carries', () => {
    const error = Object.assign(new Error('upstream said no'), { request: { headers: { authorization: 'Bearer secret-token' } }, body: 'card data' });
    const record = logged({ err: error });
    expect(record.err).toEqual({ type: 'Error', message: 'upstream said no' });
    expect(JSON.stringify(record)).not.toMatch(/secret-token|card data/);
  });
});
