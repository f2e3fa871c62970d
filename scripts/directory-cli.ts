/** `npm run directory -- import <file> | export <file> | init`: moves a directory file in and out of Cosmos DB. */
import { runDirectoryCli } from '../src/directory/cosmos/directory-cli';

void runDirectoryCli(process.argv.slice(2), { env: process.env }, { out: (line) => console.log(line), err: (line) => console.error(line) }).then((code) => {
  process.exitCode = code;
});
