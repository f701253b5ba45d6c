import { Field, InputType } from 'type-graphql';

/** One product from the catalog (Meta's interactive `product`). */
@InputType({ description: 'One product of the catalog linked to the WhatsApp Business Account' })
export class ProductInput {
  @Field(() => String) catalogId!: string;
  @Field(() => String, { description: "The product's retailer id (SKU) in the catalog" }) productRetailerId!: string;
  @Field(() => String, { nullable: true, description: 'At most 1,024 characters' }) body?: string;
  @Field(() => String, { nullable: true, description: 'At most 60 characters' }) footer?: string;
}

/** One titled section of a product list. */
@InputType()
export class ProductSectionInput {
  @Field(() => String, { description: 'At most 24 characters' }) title!: string;
  @Field(() => [String], { description: 'Retailer ids (SKUs) of the products in this section' }) productRetailerIds!: string[];
}

/** Up to 30 products in sections (Meta's interactive `product_list`). */
@InputType({ description: 'Up to 30 products of the catalog in 1 to 10 titled sections' })
export class ProductListInput {
  @Field(() => String, { description: 'Header text; at most 60 characters' }) header!: string;
  @Field(() => String, { description: 'At most 1,024 characters' }) body!: string;
  @Field(() => String) catalogId!: string;
  @Field(() => [ProductSectionInput]) sections!: ProductSectionInput[];
  @Field(() => String, { nullable: true, description: 'At most 60 characters' }) footer?: string;
}

/** A button that opens the whole catalog (Meta's interactive `catalog_message`). */
@InputType({ description: 'A message with a button that opens the catalog' })
export class CatalogMessageInput {
  @Field(() => String, { description: 'At most 1,024 characters' }) body!: string;
  @Field(() => String, { nullable: true, description: "The product whose image is shown; Meta takes the catalog's first otherwise" })
  thumbnailProductRetailerId?: string;
  @Field(() => String, { nullable: true, description: 'At most 60 characters' }) footer?: string;
}
