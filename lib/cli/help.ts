const EXIT_STATUSES = `Exit status:
  0  success
  1  the message failed verification, or the request failed or was refused
  2  usage error: unknown command or option, a missing or bad argument,
     unreadable or invalid --data
  3  no usable private key`

const KEY_SOURCE = `The private key comes from the file given with --key-file, otherwise from
the BITJWS_PRIVATE_KEY environment variable; never from an argument, which
other users could read in the process list. The file holds the WIF alone or
the JSON that 'bitjws keygen --json' prints.`

const DATA_OPTION =
  '  --data JSON        the data claim: JSON text, @FILE to read it from FILE,\n' +
  '                     or - to read it from standard input'

export const HELP: Record<string, string> = {
  main: `Usage: bitjws COMMAND [OPTIONS]

Sign and verify bitjws messages (JWS signed with Bitcoin keys), and call
bitjws APIs.

Commands:
  keygen     create a private key and print it with its address
  address    print the address of the private key
  sign       sign a message for an audience
  verify     verify a message and print its header and payload
  request    sign a request, send it, verify the reply, print its data

Options:
  -h, --help   show this help ('bitjws COMMAND --help' for a command's)
  --version    print the version

${KEY_SOURCE}

Errors print as 'bitjws: CODE: message' on standard error.

${EXIT_STATUSES}
`,

  keygen: `Usage: bitjws keygen [--testnet] [--json]

Creates a private key from the system's secure random source and prints it
(WIF) with its address. Keep the key to yourself: store it in a file only you
can read, e.g. (umask 077 && bitjws keygen --json > key.json).

Options:
  --testnet   a testnet key (WIF starting with c, address with m or n)
  --json      print {"wif", "address", "network"} as JSON
  -h, --help  show this help

${EXIT_STATUSES}
`,

  address: `Usage: bitjws address [--key-file FILE]

Prints the address of the private key: the kid of every message it signs,
and what a server registers for you.

Options:
  --key-file FILE   read the private key from FILE
  -h, --help        show this help

${KEY_SOURCE}

${EXIT_STATUSES}
`,

  sign: `Usage: bitjws sign --aud PATH [--data JSON] [--expires SECONDS | --no-expiry]
                   [--key-file FILE]

Prints a compact bitjws message with the claims aud, iat (the time in
milliseconds, used as the nonce), exp and data.

Options:
  --aud PATH         the audience: the path the message is for, e.g. /echo
${DATA_OPTION}
  --expires SECONDS  seconds until the message expires (default: 3600)
  --no-expiry        never expire (exp = 2^31, as the Python library writes)
  --key-file FILE    read the private key from FILE
  -h, --help         show this help

${KEY_SOURCE}

${EXIT_STATUSES}
`,

  verify: `Usage: bitjws verify [TOKEN | -] [--aud PATH] [--no-expiry] [--testnet]

Verifies a compact bitjws message, given as TOKEN or on standard input, and
prints its header and payload as JSON. The header's kid is the address that
signed it.

Without --aud the audience is NOT checked: any aud is accepted, so a valid
message may have been meant for somewhere else.

Options:
  --aud PATH    require this aud claim
  --no-expiry   accept an expired message or one without exp
  --testnet     accept signers with testnet addresses instead of mainnet ones
  -h, --help    show this help

On failure the error code (ERR_BITJWS_...) and message go to standard error.

${EXIT_STATUSES}
`,

  request: `Usage: bitjws request URL [--data JSON] [--method METHOD]
                      [--server-address ADDRESS] [--key-file FILE]

Signs a request for URL (aud is the URL's path), sends it as the
application/jose body, verifies the signed reply (aud /response, signature,
expiry) and prints its data as JSON. Nothing is retried: a server refuses a
signed request it has already seen.

Options:
${DATA_OPTION}
  --method METHOD    POST (default), PUT, PATCH, DELETE, or GET, which sends
                     no body and so is not signed (a key is still needed)
  --server-address ADDRESS
                     refuse a reply not signed by ADDRESS (default: the
                     BITJWS_SERVER_ADDRESS environment variable). Without it,
                     the reply's signer is only reported on standard error.
  --testnet          accept replies signed by testnet addresses
  --expires SECONDS  seconds until the request expires (default: 3600)
  --timeout MS       milliseconds to wait for the whole reply (default: 30000)
  --key-file FILE    read the private key from FILE
  -h, --help         show this help

${KEY_SOURCE}

A refused request prints the server's code, e.g.
  bitjws request: ERR_BITJWS_CLIENT_HTTP: The server answered 401
  FST_BITJWS_UNKNOWN_KEY: The bitjws key id belongs to no known user
Other failures: ERR_BITJWS_CLIENT_RESPONSE_INVALID (a reply that does not
verify), ERR_BITJWS_CLIENT_SERVER_MISMATCH (signed by another key than
--server-address; the server may have acted on the request already),
ERR_BITJWS_CLIENT_NETWORK and ERR_BITJWS_CLIENT_TIMEOUT.

${EXIT_STATUSES}
`
}
