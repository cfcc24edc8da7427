// Every client portal path in one place: the route table, the pages' links and forms, the redirects and the emailed
// sign-in link agree.

export const portalPaths = {
  portal: '/portal',
  signIn: '/portal/sign-in',
  signInLink: (token: string) => `/portal/sign-in/${encodeURIComponent(token)}`,
  signOut: '/portal/sign-out',
  uploadScript: '/portal/upload.js',
  upload: (requestId: string) => `/portal/document-requests/${encodeURIComponent(requestId)}/upload`,
} as const;
