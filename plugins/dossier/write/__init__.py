"""Write stage: every page, feed and sitemap of the model rendered and written into the build's
staging folder, in worker processes; what has not changed is linked from the published site."""
