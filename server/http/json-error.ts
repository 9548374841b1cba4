// JSON error bodies for REST route handlers: {"error": {"code", "message", "details"?}} with the
// status from the one AppError mapping.
import { HTTP_STATUS, isAppError, type AppErrorCode } from '../errors';

export function jsonError(
  code: AppErrorCode,
  message: string,
  details?: Record<string, unknown>,
  headers?: HeadersInit,
): Response {
  return Response.json(
    { error: details ? { code, message, details } : { code, message } },
    { status: HTTP_STATUS[code], headers },
  );
}

export function errorResponse(error: unknown): Response {
  if (isAppError(error)) return jsonError(error.code, error.message, error.details);
  return jsonError('INTERNAL', 'Something went wrong on the server. It has been logged.');
}
