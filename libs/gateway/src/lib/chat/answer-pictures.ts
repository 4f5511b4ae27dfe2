import type { ArtifactEvent } from '@aether/core';

/**
 * A kept picture (an `artifact` event: a chart of the data science team) as the Markdown image the
 * answer ends with. The link carries the artifact's own secret, because a chat UI loads images
 * straight from the browser, without the API key; `origin` is where that browser reaches the
 * gateway (`PUBLIC_URL`, else the address the request came to).
 */
export function pictureMarkdown(picture: ArtifactEvent, origin: string): string {
  const alt = picture.title.replace(/[[\]\\]/g, '');
  return `\n\n![${alt}](${artifactUrl(origin, picture.artifactId, picture.accessToken)})`;
}

export function artifactUrl(origin: string, artifactId: string, accessToken: string): string {
  return `${origin}/api/v1/artifacts/${encodeURIComponent(artifactId)}?token=${encodeURIComponent(accessToken)}`;
}
