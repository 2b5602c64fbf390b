/** Any credentials do for the local stand-ins; fixed ones keep the SDK from searching for real ones. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' };
