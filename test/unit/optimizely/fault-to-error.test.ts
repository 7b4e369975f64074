import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { OptimizelyAuthError } from '../../../src/errors/optimizely-auth-error';
import { OptimizelyFaultError } from '../../../src/errors/optimizely-fault-error';
import { OptimizelySessionError } from '../../../src/errors/optimizely-session-error';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { FAULT_PREFIX, FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { findOperation } from '../../../src/optimizely/api/surface';
import { readResponse } from '../../../src/optimizely/client/codec/response-reader';
import { faultToError, statusToError } from '../../../src/optimizely/client/fault-to-error';
import { soapFixture } from './soap-fixtures';

const context = { service: 'Recipient', operation: 'remove' };
const fromFixture = (file: string) => {
  const reply = readResponse(soapFixture(file), findOperation('Recipient', 'remove')!);
  if (reply.kind !== 'fault') throw new Error('fixture is not a fault');
  return faultToError(reply, context);
};
const serverFault = (text: string) =>
  faultToError({ faultCode: 'soapenv:Server.userException', faultString: FAULT_PREFIX + text }, context);

describe('faultToError', () => {
  it('maps invalid credentials to OptimizelyAuthError', () => {
    expect(fromFixture('fault-invalid-credentials.xml')).toBeInstanceOf(OptimizelyAuthError);
  });

  it('maps an invalid session to OptimizelySessionError without the session id', () => {
    const error = fromFixture('fault-invalid-session.xml');
    expect(error).toBeInstanceOf(OptimizelySessionError);
    expect(error.message).toBe('Recipient.remove: fault soapenv:Server.userException: Invalid sessionId …');
  });

  it('maps a missing recipient to OptimizelyArgumentError and keeps ids, addresses and user out of the message', () => {
    const error = fromFixture('fault-recipient-missing.xml');
    expect(error).toBeInstanceOf(OptimizelyArgumentError);
    expect(error.message).not.toMatch(/someone|example\.com|33c4296db6972a38|api-user/);
    expect(error.message).toBe('Recipient.remove: fault soapenv:Server.userException: Recipient does not exist …');
  });

  it.each([
    FAULT_TEXTS.batchLimit,
    FAULT_TEXTS.unknownList,
    FAULT_TEXTS.unknownAttribute,
    FAULT_TEXTS.arrayLengthMismatch,
    FAULT_TEXTS.noUnsubscribe,
    FAULT_TEXTS.batchUpdateFailed,
  ])('maps "%s" to OptimizelyArgumentError', (text) => {
    expect(serverFault(`${text} x`)).toBeInstanceOf(OptimizelyArgumentError);
  });

  it('maps the connection limit to OptimizelyTransientError', () => {
    expect(serverFault(FAULT_TEXTS.tooManyConnections)).toBeInstanceOf(OptimizelyTransientError);
  });

  it('maps a Client faultcode to OptimizelyArgumentError and an unknown server fault to the retryable base', () => {
    expect(faultToError({ faultCode: 'soapenv:Client', faultString: 'bad' }, context)).toBeInstanceOf(OptimizelyArgumentError);
    const unknown = serverFault('java.lang.NullPointerException');
    expect(unknown.name).toBe('OptimizelyFaultError');
    expect(unknown).toBeInstanceOf(OptimizelyFaultError);
  });

  it('keeps nothing of an unrecognised text and leaves it retryable', () => {
    const error = serverFault('blocked a.b+c@example.org today');
    expect(error.message).toBe('Recipient.remove: fault soapenv:Server.userException: unrecognised fault text (withheld)');
    expect(error.name).toBe('OptimizelyFaultError');
  });

  it('classifies by the template even when hostile text surrounds it', () => {
    const error = serverFault(`[1234, api-user, S3cretPW] ${FAULT_TEXTS.invalidCredentials} password S3cretPW`);
    expect(error).toBeInstanceOf(OptimizelyAuthError);
    expect(error.message).not.toMatch(/S3cretPW|api-user|1234/);
  });

  it('rebuilds the fault code from allow-listed parts', () => {
    const withName = faultToError({ faultCode: 'JaneDoe:Server.S3cretPW', faultString: 'x' }, context);
    expect(withName.message).toBe('Recipient.remove: fault Server: unrecognised fault text (withheld)');
    expect(withName.faultCode).toBe('Server');
    expect(faultToError({ faultCode: 'x'.repeat(200_000), faultString: 'x' }, context).faultCode).toBe('unknown');
    expect(faultToError({ faultCode: 'soap:Client.NoSOAPAction', faultString: '' }, context)).toBeInstanceOf(OptimizelyArgumentError);
  });

  it('maps the simulated session cap to OptimizelyTransientError', () => {
    expect(serverFault(FAULT_TEXTS.tooManySessions)).toBeInstanceOf(OptimizelyTransientError);
  });
});

describe('statusToError', () => {
  it.each([
    [401, 'OptimizelyAuthError'],
    [403, 'OptimizelyAuthError'],
    [429, 'OptimizelyTransientError'],
    [502, 'OptimizelyTransientError'],
    [503, 'OptimizelyTransientError'],
    [404, 'OptimizelyFaultError'],
  ])('maps HTTP %i to %s', (status, name) => {
    const error = statusToError(status, context);
    expect(error.name).toBe(name);
    expect(error.httpStatus).toBe(status);
  });
});
