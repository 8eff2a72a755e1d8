/**
 * The signature check a region makes: that a request is signed (an AWS4 Authorization header, or
 * a presigned URL's X-Amz-Algorithm), and not both ways at once. The signature itself is not
 * verified: any credentials are welcome.
 */
import { InvalidSignatureException, MissingAuthenticationTokenException, type DynamoError } from '../dynamo/errors.js';

/** Whether the query string has a parameter of that name (with or without a value). */
function hasQueryParameter(query: string, name: string): boolean {
  if (!query.includes(name)) return false;
  return query.split('&').some((pair) => pair === name || pair.startsWith(`${name}=`));
}

/** DynamoDB's error for a request that is not signed the way it accepts, if it is not. */
export function authenticationError(authorization: string | undefined, query: string): DynamoError | undefined {
  const presigned = query !== '' && hasQueryParameter(query, 'X-Amz-Algorithm');
  if (authorization && presigned) {
    return new InvalidSignatureException("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");
  }
  if (presigned) return undefined;
  if (!authorization || !authorization.trimStart().startsWith('AWS4-')) return new MissingAuthenticationTokenException();
  return undefined;
}
