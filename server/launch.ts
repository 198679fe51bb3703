// The language server's entry (dist/server.js): loads the server bundle (dist/language-server.js)
// through the V8 code cache, so a new process starts with what earlier ones compiled.
import * as path from 'path';
import { codeCacheDirectory, loadWithCodeCache } from './codeCache';

loadWithCodeCache(path.join(__dirname, 'language-server.js'), { directory: codeCacheDirectory() });
