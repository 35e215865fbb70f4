"""The catalogue's pages under /data/, one module per page type (urls.py lists them):

- `home`: the catalogue's front page
- `search`: search results with facets, sorting and paging
- `datasets`: a dataset's page and its history
- `organisations`: the publishers and their datasets
- `publish`: creating, editing and deleting datasets
- `resources`: adding, editing and deleting a dataset's resources

Every page calls the same services as the CKAN API, so what a person sees and may do is what a client
of the API sees and may do.
"""
