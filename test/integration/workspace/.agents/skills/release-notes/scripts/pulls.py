import json
import os
import urllib.request

token = os.environ.get('GITHUB_TOKEN', '')
request = urllib.request.Request(
    'https://api.github.com/repos/octo/app/pulls?state=closed',
    headers={'Authorization': f'Bearer {token}', 'Accept': 'application/vnd.github+json'},
)
with urllib.request.urlopen(request, timeout=30) as response:
    for pull in json.load(response):
        if pull.get('merged_at'):
            print(f"- {pull['title']} (#{pull['number']})")
