import neostandard from 'neostandard'

export default [
  ...neostandard({
    ts: true,
    ignores: ['dist/**', 'coverage/**', 'node_modules/**', '.lab/**']
  }),
  {
    // Lines stay under 100 characters; only a long message string may pass.
    rules: {
      '@stylistic/max-len': ['error', {
        code: 100, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreUrls: true
      }]
    }
  }
]
