/** `npm run package`: writes build/appPackage.zip from manifest/ and the environment. */
import { runPackageCli } from '../src/packaging/package-cli';

void runPackageCli({ env: process.env }, { out: (line) => console.log(line), err: (line) => console.error(line) }).then((code) => {
  process.exitCode = code;
});
