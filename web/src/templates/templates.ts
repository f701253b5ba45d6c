import { graphql } from '../gql';

export const ManagedTemplatesQuery = graphql(`
  query ManagedTemplates {
    templates { id name language status category rejectedReason components }
  }
`);

export const CreateTemplate = graphql(`
  mutation CreateTemplate($input: CreateTemplateInput!) {
    createTemplate(input: $input) { id }
  }
`);

export const UpdateTemplate = graphql(`
  mutation UpdateTemplate($id: ID!, $input: UpdateTemplateInput!) {
    updateTemplate(id: $id, input: $input) { id }
  }
`);

export const DeleteTemplate = graphql(`
  mutation DeleteTemplate($id: ID!, $allLanguages: Boolean) {
    deleteTemplate(id: $id, allLanguages: $allLanguages) { id }
  }
`);
