export type SectionRole = 'viewer' | 'analyst' | 'admin';

/** Props shared by every section page content component. */
export interface SectionProps {
  workspaceSlug: string;
  role: SectionRole;
}
