import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolveLlmConfig } from '../../cli/run-llm.js';

describe('canopy run --agent llm: where the server URL comes from', () => {
  const env = { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' };

  it('takes the flag over the config, the config over OPENAI_BASE_URL, and that over the default', () => {
    assert.equal(resolveLlmConfig({ baseUrl: 'http://a.test/v1' }, { baseUrl: 'http://b.test/v1' }, 'cfg', env).baseUrl, 'http://b.test/v1');
    assert.equal(resolveLlmConfig({ baseUrl: 'http://a.test/v1' }, {}, 'cfg', env).baseUrl, 'http://a.test/v1');
    assert.equal(resolveLlmConfig(undefined, {}, 'cfg', env).baseUrl, 'http://127.0.0.1:11434/v1');
    assert.equal(resolveLlmConfig(undefined, {}, 'cfg', {}).baseUrl, 'https://api.openai.com/v1');
  });

  it('refuses a variable that is not a URL, naming the field', () => {
    assert.throws(() => resolveLlmConfig(undefined, {}, 'cfg', { OPENAI_BASE_URL: 'not a url' }), /cfg: llm.*baseUrl/);
  });
});
