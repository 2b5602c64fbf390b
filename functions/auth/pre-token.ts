import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';

/**
 * Cognito's pre-token-generation trigger (V2): adds the person's `email` (and `name`) to the access token, which
 * Cognito's own access tokens lack (their `username` is the user's UUID when email is the sign-in
 * name), so the API knows whose `GET /v1/me` it answers and which CSM they are.
 * Nothing else: no SDK, no config, a cold start of a few milliseconds.
 */
export const handler = async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
  const { email, name } = event.request.userAttributes;
  const claims = { ...(email ? { email } : {}), ...(name ? { name } : {}) };
  if (email || name) event.response = { claimsAndScopeOverrideDetails: { accessTokenGeneration: { claimsToAddOrOverride: claims } } };
  return event;
};
