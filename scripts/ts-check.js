#!/usr/bin/env node
// Transpiles every .ts file of a generated TypeScript project to CommonJS, for scripts/validate-scaffolds.
//
//   NODE_PATH=/usr/share/nodejs node scripts/ts-check.js PROJECT_DIR OUT_DIR
//
// Fails (exit 1) on any syntactic diagnostic, and when a test or a core.ts imports anything but relative
// files and node: built-ins (the scaffold contract: tests import only core.ts, never the AWS SDK, so they
// run offline). Output keeps the project's layout under OUT_DIR, so relative imports resolve; `.ts`/`.js`
// extensions in relative specifiers are rewritten to `.js`. Prints the number of files transpiled.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

let ts;
try {
  ts = require('typescript');
} catch (err) {
  console.error('ts-check: cannot load the typescript module (install node-typescript; run with NODE_PATH=/usr/share/nodejs)');
  process.exit(2);
}

const [projectDir, outDir] = process.argv.slice(2);
if (!projectDir || !outDir) {
  console.error('usage: node scripts/ts-check.js PROJECT_DIR OUT_DIR');
  process.exit(2);
}

const SKIP_DIRS = new Set(['node_modules', '.aws-sam', '.build', 'dist', 'coverage']);

function tsFiles(dir) {
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...tsFiles(full));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) found.push(full);
  }
  return found;
}

function describe(diagnostic, rel) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file && diagnostic.start !== undefined) {
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${rel}:${line + 1}:${character + 1}: error TS${diagnostic.code}: ${message}`;
  }
  return `${rel}: error TS${diagnostic.code}: ${message}`;
}

// Module specifiers imported by a file (import/export ... from, import(), require()).
function specifiers(sourceFile) {
  const found = [];
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? Boolean(node.importClause && node.importClause.isTypeOnly) : node.isTypeOnly;
      found.push({ text: node.moduleSpecifier.text, typeOnly, node: node.moduleSpecifier });
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      found.push({ text: node.arguments[0].text, typeOnly: false, node: node.arguments[0] });
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

const problems = [];
const files = tsFiles(projectDir);
for (const file of files) {
  const rel = path.relative(projectDir, file);
  const text = fs.readFileSync(file, 'utf8');
  const sourceFile = ts.createSourceFile(rel, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  for (const d of sourceFile.parseDiagnostics || []) problems.push(describe(d, rel));

  const isTest = /(^|[\\/])tests?[\\/]/.test(rel) || /\.test\.ts$/.test(rel);
  const isCore = path.basename(rel) === 'core.ts';
  if (isTest || isCore) {
    for (const spec of specifiers(sourceFile)) {
      const offline = spec.text.startsWith('.') || spec.text.startsWith('node:');
      if (!offline && !spec.typeOnly) {
        const { line } = sourceFile.getLineAndCharacterOfPosition(spec.node.getStart());
        problems.push(`${rel}:${line + 1}: imports '${spec.text}' — ${isTest ? 'tests' : 'core.ts'} may import only relative files and node: built-ins (use 'import type' for types)`);
      }
    }
  }

  const result = ts.transpileModule(text, {
    fileName: rel,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      sourceMap: false,
    },
  });
  for (const d of result.diagnostics || []) problems.push(describe(d, rel));

  // Relative specifiers written with .ts or .js extensions must point at the emitted .js files.
  const output = result.outputText.replace(/require\((["'])(\.{1,2}\/[^"']*?)\.(?:ts|js)\1\)/g, 'require($1$2.js$1)');
  const dest = path.join(outDir, rel.replace(/\.ts$/, '.js'));
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, output);
}

// Node treats .js under a "type": "module" package.json as ESM; the output is CommonJS.
fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'package.json'), '{"type": "commonjs"}\n');

if (problems.length > 0) {
  for (const p of [...new Set(problems)]) console.error(p);
  process.exit(1);
}
console.log(`${files.length} files transpiled`);
