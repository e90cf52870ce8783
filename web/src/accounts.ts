// Account rules the sign-up and invitation forms share with the server.

/** The server's MIN_PASSWORD_LENGTH (src/model/passwords.ts). */
export const MIN_PASSWORD_LENGTH = 8
