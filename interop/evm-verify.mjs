// Compiles a Groth16 verifier contract with solc, deploys it in a fresh @ethereumjs/evm (BN254 precompiles
// 0x06-0x08 built in) and calls verifyProof once per calldata file.
//
// Usage: node evm-verify.mjs <verifier.sol> <calldata.txt>...
// A calldata file holds the text of `snarkjs zkey export soliditycalldata` (or `zkml zkey export soliditycalldata`):
//   ["0x..", "0x.."],[["0x..", "0x.."],["0x..", "0x.."]],["0x..", "0x.."],["0x..", ...]
// Prints one JSON line for the deployment, then one per call:
//   {"contract":"Groth16Verifier","warnings":0,"deployGas":N,"codeSize":N}
//   {"file":"a.txt","result":true|false|null,"reverted":false,"gas":N,"txGas":N}
// result is the returned bool (null when the call reverted); gas is the execution gas of the call, txGas adds the
// 21,000 base cost and the calldata bytes (4 gas per zero byte, 16 per other byte).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createRequire } from 'node:module';
import { createEVM } from '@ethereumjs/evm';
import { createAddressFromString, bytesToHex, hexToBytes } from '@ethereumjs/util';

const require = createRequire(import.meta.url);
const solc = require('solc');

const [solPath, ...calldataPaths] = process.argv.slice(2);
if (!solPath) {
  console.error('usage: node evm-verify.mjs <verifier.sol> <calldata.txt>...');
  process.exit(2);
}

const input = {
  language: 'Solidity',
  sources: { [basename(solPath)]: { content: readFileSync(solPath, 'utf8') } },
  settings: {
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.methodIdentifiers'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const diagnostics = output.errors ?? [];
const errors = diagnostics.filter((d) => d.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(3);
}

// The contract that has verifyProof; its selector comes from solc, so no Keccak is needed here.
let contract;
for (const [name, c] of Object.entries(output.contracts[basename(solPath)])) {
  const selector = Object.entries(c.evm.methodIdentifiers).find(([sig]) => sig.startsWith('verifyProof('));
  if (selector) contract = { name, bytecode: c.evm.bytecode.object, selector: selector[1] };
}
if (!contract) {
  console.error(`no contract with verifyProof in ${solPath}`);
  process.exit(3);
}

const evm = await createEVM();
const caller = createAddressFromString('0x1000000000000000000000000000000000000001');
const deployed = await evm.runCall({ caller, data: hexToBytes(`0x${contract.bytecode}`), gasLimit: 30_000_000n });
if (deployed.execResult.exceptionError || !deployed.createdAddress) {
  console.error(`deployment failed: ${deployed.execResult.exceptionError?.error}`);
  process.exit(3);
}
const code = await evm.stateManager.getCode(deployed.createdAddress);
console.log(JSON.stringify({
  contract: contract.name,
  warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  deployGas: Number(deployed.execResult.executionGasUsed),
  codeSize: code.length,
}));

// Static ABI types only (uint256 arrays of fixed size): the arguments are the flattened words in order.
function encode(calldataText) {
  const words = JSON.parse(`[${calldataText.trim()}]`).flat(3);
  return `0x${contract.selector}${words.map((w) => BigInt(w).toString(16).padStart(64, '0')).join('')}`;
}

for (const path of calldataPaths) {
  const data = hexToBytes(encode(readFileSync(path, 'utf8')));
  // A transaction starts with the precompiles warm (EIP-2929); a bare runCall does not, so warm them as the VM would.
  for (const address of evm.precompiles.keys()) evm.journal.addAlwaysWarmAddress(address);
  const res = await evm.runCall({ caller, to: deployed.createdAddress, data, gasLimit: 30_000_000n });
  const reverted = res.execResult.exceptionError !== undefined;
  const ret = bytesToHex(res.execResult.returnValue);
  const result = reverted || res.execResult.returnValue.length !== 32 ? null : BigInt(ret) === 1n;
  const gas = Number(res.execResult.executionGasUsed);
  const calldataGas = data.reduce((sum, b) => sum + (b === 0 ? 4 : 16), 0);
  console.log(JSON.stringify({ file: basename(path), result, reverted, gas, txGas: 21000 + calldataGas + gas }));
}
