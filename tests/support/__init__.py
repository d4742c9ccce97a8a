"""What tests in several folders share: a small model of plain data, readers of built pages,
sitemaps and Pagefind indexes, the sample content, hypothesis strategies."""
