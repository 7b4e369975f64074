import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import type { Handler, SessionlessHandler } from '../context';
import { SoapFault } from '../soap/soap-fault';
import { num, str } from './params';

export const SIMULATOR_VERSION = 'campaign-sync simulator 1.0 (Apache Axis 1.4 compatible)';

export const login: SessionlessHandler = (sim, params) => {
  const mandatorId = num(params, 'mandatorId');
  const client = sim.store.clients.client(mandatorId);
  if (!client || client.username !== str(params, 'username') || client.password !== str(params, 'password')) {
    throw SoapFault.impl(FAULT_TEXTS.invalidCredentials);
  }
  return sim.sessions.open(mandatorId, client.username).id;
};

export const sessionHandlers: Record<string, Handler> = {
  logout: (call) => {
    call.sim.sessions.close(call.session.id);
    return undefined;
  },
  getLocale: (call) => call.session.locale,
  setLocale: (call) => void (call.session.locale = str(call.params, 'locale') ?? 'en'),
  getMediaType: (call) => call.session.mediaType,
  setMediaType: (call) => void (call.session.mediaType = str(call.params, 'mediaType') ?? 'EMAIL'),
};
