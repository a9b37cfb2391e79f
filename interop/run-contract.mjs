// Runs a scenario against Solidity contracts in a fresh @ethereumjs/evm: compiles the sources with solc, deploys
// contracts at fixed addresses and makes calls with prepared calldata, one per block, on a simulated chain whose block
// hashes are known in advance.
//
// Usage: node run-contract.mjs <scenario.json>
// Scenario: {"sources": {"file.sol": "source", ...}, "startBlock": N, "actions": [action, ...]}, actions in order:
//   {"name": "..", "deploy": "file.sol", "contract": "Name", "at": "0x<20 bytes>"}  compile, run the constructor, place
//                                                                                     the code at `at`
//   {"name": "..", "from": "0x..", "to": "0x..", "data": "0x<selector and ABI-encoded arguments>"}  one call, one block
//   {"name": "..", "mine": K}                                                          K empty blocks
// Block n's hash is sha256("ZkMl.TestChain.v1" || u64 LE n), so the caller can predict blockhash draws.
// Prints one JSON line per compiled source unit's methods ({"methods": {file: {contract: {signature: selector}}}}),
// then one per action:
//   deploy: {"name", "codeSize", "deployGas", "warnings"}
//   call:   {"name", "block", "reverted", "reason", "returnData", "gas", "txGas"}
//   mine:   {"name", "block"}
// reason is the revert string (null when none); gas is the call's execution gas, txGas adds the 21,000 base cost and
// the calldata bytes (4 gas per zero byte, 16 per other byte).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { createEVM } from '@ethereumjs/evm';
import { createAddressFromString, createZeroAddress, bytesToHex, hexToBytes } from '@ethereumjs/util';

const require = createRequire(import.meta.url);
const solc = require('solc');

const scenarioPath = process.argv[2];
if (!scenarioPath) {
  console.error('usage: node run-contract.mjs <scenario.json>');
  process.exit(2);
}
const scenario = JSON.parse(readFileSync(scenarioPath, 'utf8'));

const input = {
  language: 'Solidity',
  sources: Object.fromEntries(Object.entries(scenario.sources).map(([name, content]) => [name, { content }])),
  settings: {
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['evm.bytecode.object', 'evm.methodIdentifiers'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const diagnostics = output.errors ?? [];
const errors = diagnostics.filter((d) => d.severity === 'error');
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(3);
}
const warnings = (file) => diagnostics.filter((d) => d.severity === 'warning' && d.sourceLocation?.file === file).length;
const methods = {};
for (const [file, contracts] of Object.entries(output.contracts)) {
  methods[file] = Object.fromEntries(Object.entries(contracts).map(([name, c]) => [name, c.evm.methodIdentifiers]));
}
console.log(JSON.stringify({ methods }));

function blockHash(n) {
  const number = Buffer.alloc(8);
  number.writeBigUInt64LE(BigInt(n));
  return new Uint8Array(createHash('sha256').update('ZkMl.TestChain.v1').update(number).digest());
}
const blockchain = {
  async getBlock(n) { return { hash: () => blockHash(n) }; },
  async putBlock() {},
  shallowCopy() { return this; },
};
const evm = await createEVM({ blockchain });
let block = BigInt(scenario.startBlock ?? 1000);
const header = () => ({
  header: {
    number: block, coinbase: createZeroAddress(), timestamp: block * 12n, difficulty: 0n, prevRandao: new Uint8Array(32),
    gasLimit: 60_000_000n, baseFeePerGas: undefined, slotNumber: 0n, getBlobGasPrice: () => undefined,
  },
});

// Error(string): selector 0x08c379a0, offset, length, bytes.
function revertReason(ret) {
  if (ret.length < 68 || bytesToHex(ret.subarray(0, 4)) !== '0x08c379a0') return null;
  const length = Number(BigInt(bytesToHex(ret.subarray(36, 68))));
  return Buffer.from(ret.subarray(68, 68 + length)).toString('utf8');
}

const deployer = createAddressFromString('0x1000000000000000000000000000000000000001');
for (const action of scenario.actions) {
  if (action.deploy) {
    const bytecode = output.contracts[action.deploy]?.[action.contract]?.evm.bytecode.object;
    if (!bytecode) throw new Error(`no contract ${action.contract} in ${action.deploy}`);
    const res = await evm.runCall({ caller: deployer, data: hexToBytes(`0x${bytecode}`), gasLimit: 60_000_000n, block: header() });
    if (res.execResult.exceptionError || !res.createdAddress) throw new Error(`deploying ${action.contract} failed: ${res.execResult.exceptionError?.error}`);
    const code = await evm.stateManager.getCode(res.createdAddress);
    // The contracts have no constructor state, so their code can live at the address the scenario names.
    await evm.stateManager.putCode(createAddressFromString(action.at), code);
    console.log(JSON.stringify({ name: action.name, codeSize: code.length, deployGas: Number(res.execResult.executionGasUsed), warnings: warnings(action.deploy) }));
  } else if (action.mine !== undefined) {
    block += BigInt(action.mine);
    console.log(JSON.stringify({ name: action.name, block: Number(block) }));
  } else {
    const data = hexToBytes(action.data);
    // Each call is its own transaction: bare runCalls keep the previous call's warm accounts and slots (EIP-2929), so
    // clear them as the VM does after a transaction, then warm what a transaction starts with: precompiles, sender, target.
    await evm.journal.cleanup();
    for (const address of evm.precompiles.keys()) evm.journal.addAlwaysWarmAddress(address);
    for (const address of [action.from, action.to]) evm.journal.addAlwaysWarmAddress(address.toLowerCase());
    const res = await evm.runCall({
      caller: createAddressFromString(action.from), to: createAddressFromString(action.to), data, gasLimit: 30_000_000n, block: header(),
    });
    const reverted = res.execResult.exceptionError !== undefined;
    const gas = Number(res.execResult.executionGasUsed);
    const calldataGas = data.reduce((sum, b) => sum + (b === 0 ? 4 : 16), 0);
    console.log(JSON.stringify({
      name: action.name, block: Number(block), reverted, reason: reverted ? revertReason(res.execResult.returnValue) : null,
      returnData: bytesToHex(res.execResult.returnValue), gas, txGas: 21000 + calldataGas + gas,
    }));
    block += 1n;
  }
}
