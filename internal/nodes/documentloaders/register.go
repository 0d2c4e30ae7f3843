package documentloaders

import "github.com/floehq/floe/internal/node"

// Register adds every Document Loaders node to r.
func Register(r *node.Registry) {
	r.MustRegister(apiLoader)
	r.MustRegister(cheerioWebScraper)
	r.MustRegister(csvFile)
	r.MustRegister(docxFile)
	r.MustRegister(folderFiles)
	r.MustRegister(github)
	r.MustRegister(jsonFile)
	r.MustRegister(jsonlinesFile)
	r.MustRegister(pdfFile)
	r.MustRegister(plainText)
	r.MustRegister(textFile)
}
