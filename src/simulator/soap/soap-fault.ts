import { FAULT_PREFIX } from '../../optimizely/api/fault-texts';

/**
 * A SOAP fault the simulator answers with (HTTP 500, soapenv:Server.userException). `faultString`
 * is the complete text; most faults carry the WebserviceImplException prefix, session faults their own.
 */
export class SoapFault extends Error {
  override readonly name = 'SoapFault';
  constructor(
    readonly faultString: string,
    readonly httpStatus = 500,
  ) {
    super(faultString);
  }

  /** A fault with the usual `broadmail.api.soap11.impl.WebserviceImplException: ` prefix. */
  static impl(text: string): SoapFault {
    return new SoapFault(FAULT_PREFIX + text);
  }
}
