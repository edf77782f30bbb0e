/**
 * Imports an optional peer dependency. The shared stores load their client
 * library only when one is created, so the package works without them; when
 * one is missing, the error says which package to install.
 */
export async function loadPeer<T> (
  load: () => Promise<T>, name: string, store: string
): Promise<T> {
  try {
    return await load()
  } catch (error) {
    throw new Error(`The ${store} store needs the ${name} package: npm install ${name}`, {
      cause: error
    })
  }
}
